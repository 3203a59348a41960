#!/usr/bin/env bash
# Records the allocation traces of this folder: runs each program under
# `valgrind --trace-malloc=yes` and keeps the gzipped log as NAME.vg.gz next to its input.
#
# Usage: traces/record.sh [NAME...]      (default: every trace; names: gcc python-xml jq)
#
# Needs valgrind, gcc, jq and python3 (Debian's /usr/bin/python3); installs the missing ones
# with apt-get when run as root. The logs depend on the exact program versions: the README's
# table says which ones recorded the committed files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

require() {  # require COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    if [[ $(id -u) -ne 0 ]]; then
        echo "record.sh: $1 is missing (expected: Debian package $2 installed)" >&2
        exit 1
    fi
    apt-get install -y -q "$2" >/dev/null
}

trace() {  # trace LOG COMMAND...: one traced run, valgrind's log in LOG
    local log="$1"
    shift
    valgrind --trace-malloc=yes --log-file="$log" "$@" >/dev/null
}

keep() {  # keep NAME LOG: gzip LOG as NAME.vg.gz, without a timestamp so that re-runs compare
    gzip -9 -n -c "$2" >"$here/$1.vg.gz"
    echo "$1.vg.gz: $(grep -c '^--[0-9]*-- ' "$2") lines, $(stat -c %s "$here/$1.vg.gz") bytes"
}

record_gcc() {
    require gcc gcc
    # gcc is a driver: the compiler proper is its child cc1, traced in a log of its own.
    mkdir "$work/gcc"
    (cd "$here" && valgrind --trace-malloc=yes --trace-children=yes --log-file="$work/gcc/%p.vg" \
        gcc -O2 -c gcc.c -o "$work/gcc.o")
    local cc1_log
    cc1_log="$(grep -l '^==[0-9]*== Command: [^ ]*/cc1 ' "$work"/gcc/*.vg)"
    keep gcc "$cc1_log"
}

record_python_xml() {
    require /usr/bin/python3 python3
    # PYTHONMALLOC=malloc sends every object to the C allocator instead of pymalloc's arenas.
    (cd "$here" && PYTHONMALLOC=malloc trace "$work/python-xml.vg" /usr/bin/python3 python-xml.py)
    keep python-xml "$work/python-xml.vg"
}

record_jq() {
    require jq jq
    (cd "$here" && trace "$work/jq.vg" jq -n -f jq.jq)
    keep jq "$work/jq.vg"
}

require valgrind valgrind
names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(gcc python-xml jq)
for name in "${names[@]}"; do
    case "$name" in
        gcc) record_gcc ;;
        python-xml) record_python_xml ;;
        jq) record_jq ;;
        *) echo "record.sh: unknown trace: $name (expected: gcc, python-xml or jq)" >&2; exit 2 ;;
    esac
done
