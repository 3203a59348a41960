package io.tinyalloc.bench.trace;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads one line of a {@code valgrind --trace-malloc=yes} log at a time and tells a
 * {@link AllocatorCalls} which call it was. Hand-written rather than regular expressions: logs
 * have hundreds of thousands of lines.
 */
final class ValgrindLineParser {

    /** The argument shapes of the allocator functions that valgrind traces. */
    private enum CallForm {
        /** {@code (SIZE) = 0xADDR} */
        SIZED_ALLOCATION,
        /** {@code (COUNT,SIZE) = 0xADDR} */
        COUNTED_ALLOCATION,
        /** {@code (al ALIGN, size SIZE) = 0xADDR} */
        MEMALIGN,
        /** {@code (size SIZE, al ALIGN) = 0xADDR} */
        ALIGNED_NEW,
        /** {@code (0xOLD,SIZE)} then {@code  = 0xNEW}, {@code malloc(..)} or {@code free(..)} */
        REALLOCATION,
        /** {@code (0xADDR)}, or {@code (0xADDR,SIZE)} for sized delete */
        FREE
    }

    private static final Map<String, CallForm> FORMS_BY_NAME = Map.ofEntries(
            Map.entry("malloc", CallForm.SIZED_ALLOCATION),
            Map.entry("builtin_new", CallForm.SIZED_ALLOCATION),
            Map.entry("__builtin_new", CallForm.SIZED_ALLOCATION),
            Map.entry("builtin_vec_new", CallForm.SIZED_ALLOCATION),
            Map.entry("__builtin_vec_new", CallForm.SIZED_ALLOCATION),
            Map.entry("calloc", CallForm.COUNTED_ALLOCATION),
            Map.entry("memalign", CallForm.MEMALIGN),
            Map.entry("realloc", CallForm.REALLOCATION),
            Map.entry("free", CallForm.FREE),
            Map.entry("cfree", CallForm.FREE),
            Map.entry("builtin_delete", CallForm.FREE),
            Map.entry("__builtin_delete", CallForm.FREE),
            Map.entry("builtin_vec_delete", CallForm.FREE),
            Map.entry("__builtin_vec_delete", CallForm.FREE));

    /** Itanium C++ mangling: {@code operator new} is {@code _Znw*}, {@code new[]} is {@code _Zna*}. */
    private static final String[] NEW_PREFIXES = {"_Znw", "_Zna"};
    /** {@code operator delete} is {@code _Zdl*}, {@code delete[]} is {@code _Zda*}. */
    private static final String[] DELETE_PREFIXES = {"_Zdl", "_Zda"};
    /** The mangled {@code std::align_val_t} parameter of the aligned forms of new. */
    private static final String ALIGN_VAL_T = "St11align_val_t";

    private static final String RESULT = " = ";
    private static final String NULL_ADDRESS = "0x0";

    private final String source;
    private final AllocatorCalls builder;
    /** Processes whose last call was a realloc to 0 bytes, whose {@code  = 0} line comes next. */
    private final Set<Integer> pendingReallocResult = new HashSet<>();

    private String line;
    private long lineNumber;
    private int cursor;

    ValgrindLineParser(String source, AllocatorCalls builder) {
        this.source = source;
        this.builder = builder;
    }

    void parse(String text) {
        line = text;
        lineNumber++;
        cursor = 0;
        int pid = processId();
        if (pid < 0) {
            builder.ignoredLine();
            return;
        }
        if (line.startsWith(RESULT, cursor) && pendingReallocResult.remove(pid)) {
            return;
        }
        int nameStart = cursor;
        while (cursor < line.length() && isIdentifierPart(line.charAt(cursor))) {
            cursor++;
        }
        CallForm form = cursor < line.length() && line.charAt(cursor) == '('
                ? formOf(line.substring(nameStart, cursor)) : null;
        if (form == null) {
            builder.ignoredLine();
            return;
        }
        cursor++;
        try {
            switch (form) {
                case SIZED_ALLOCATION -> sizedAllocation(pid);
                case COUNTED_ALLOCATION -> countedAllocation(pid);
                case MEMALIGN -> memalign(pid);
                case ALIGNED_NEW -> alignedNew(pid);
                case REALLOCATION -> reallocation(pid);
                case FREE -> free(pid);
            }
        } catch (IllegalArgumentException inconsistentCall) {
            throw malformed(inconsistentCall.getMessage());
        }
    }

    /** The process id of a {@code --PID-- } line, the cursor after it; -1 for other lines. */
    private int processId() {
        if (!line.startsWith("--")) {
            return -1;
        }
        int end = 2;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        if (end == 2 || !line.startsWith("-- ", end)) {
            return -1;
        }
        cursor = end + "-- ".length();
        return Integer.parseInt(line, 2, end, 10);
    }

    private static CallForm formOf(String name) {
        CallForm form = FORMS_BY_NAME.get(name);
        if (form != null) {
            return form;
        }
        for (String prefix : NEW_PREFIXES) {
            if (name.startsWith(prefix)) {
                return name.contains(ALIGN_VAL_T) ? CallForm.ALIGNED_NEW : CallForm.SIZED_ALLOCATION;
            }
        }
        for (String prefix : DELETE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return CallForm.FREE;
            }
        }
        return null;
    }

    private void sizedAllocation(int pid) {
        long byteSize = decimal("a byte size");
        expect(")");
        builder.allocate(pid, TraceOp.ALLOCATE, byteSize, 0, result());
    }

    private void countedAllocation(int pid) {
        long count = decimal("an element count");
        expect(",");
        long elementByteSize = decimal("an element byte size");
        expect(")");
        long address = result();
        long byteSize;
        try {
            byteSize = Math.multiplyExact(count, elementByteSize);
        } catch (ArithmeticException overflow) {
            byteSize = Long.MAX_VALUE;   // calloc returned NULL then: the allocation is skipped as failed
        }
        builder.allocate(pid, TraceOp.ALLOCATE_ZEROED, byteSize, 0, address);
    }

    private void memalign(int pid) {
        expect("al ");
        long byteAlignment = decimal("an alignment");
        expect(", size ");
        long byteSize = decimal("a byte size");
        expect(")");
        builder.allocate(pid, TraceOp.ALLOCATE_ALIGNED, byteSize, byteAlignment, result());
    }

    private void alignedNew(int pid) {
        expect("size ");
        long byteSize = decimal("a byte size");
        expect(", al ");
        long byteAlignment = decimal("an alignment");
        expect(")");
        builder.allocate(pid, TraceOp.ALLOCATE_ALIGNED, byteSize, byteAlignment, result());
    }

    private void reallocation(int pid) {
        long oldAddress = hexadecimal();
        expect(",");
        long byteSize = decimal("a byte size");
        expect(")");
        if (line.startsWith(RESULT, cursor)) {
            builder.reallocate(pid, oldAddress, byteSize, result());
        } else if (oldAddress == 0) {
            // realloc(NULL, n) is malloc(n): valgrind traces the inner call on the same line.
            expect("malloc(");
            sizedAllocation(pid);
        } else {
            // realloc(p, 0) frees p: the inner free is on this line, the result on the next.
            expect("free(");
            long freed = hexadecimal();
            expect(")");
            end();
            if (freed != oldAddress) {
                throw malformed("realloc of 0x" + Long.toHexString(oldAddress) + " freed 0x" + Long.toHexString(freed)
                        + " (expected: the same address)");
            }
            builder.free(pid, oldAddress);
            pendingReallocResult.add(pid);
        }
    }

    private void free(int pid) {
        long address = hexadecimal();
        if (line.startsWith(",", cursor)) {
            cursor++;
            decimal("a byte size");
        }
        expect(")");
        end();
        builder.free(pid, address);
    }

    private long result() {
        expect(RESULT);
        long address = hexadecimal();
        end();
        return address;
    }

    private long decimal(String what) {
        int start = cursor;
        while (cursor < line.length() && Character.isDigit(line.charAt(cursor))) {
            cursor++;
        }
        if (cursor == start) {
            throw malformed("expected " + what + " (decimal digits) at column " + (start + 1));
        }
        try {
            return Long.parseLong(line, start, cursor, 10);
        } catch (NumberFormatException e) {
            throw malformed(what + " out of range: " + line.substring(start, cursor));
        }
    }

    private long hexadecimal() {
        if (line.startsWith(NULL_ADDRESS, cursor) && !isHexDigitAt(cursor + NULL_ADDRESS.length())) {
            cursor += NULL_ADDRESS.length();
            return 0;
        }
        expect("0x");
        int start = cursor;
        while (isHexDigitAt(cursor)) {
            cursor++;
        }
        if (cursor == start || cursor - start > Long.BYTES * 2) {
            throw malformed("expected an address (0x and 1 to 16 hexadecimal digits) at column " + (start - 1));
        }
        return Long.parseUnsignedLong(line, start, cursor, 16);
    }

    private void expect(String text) {
        if (!line.startsWith(text, cursor)) {
            throw malformed("expected '" + text + "' at column " + (cursor + 1));
        }
        cursor += text.length();
    }

    private void end() {
        if (cursor != line.length()) {
            throw malformed("unexpected text at column " + (cursor + 1));
        }
    }

    private boolean isHexDigitAt(int index) {
        return index < line.length() && Character.digit(line.charAt(index), 16) >= 0;
    }

    private static boolean isIdentifierPart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private TraceFormatException malformed(String problem) {
        return new TraceFormatException(source, lineNumber, line, problem);
    }
}
