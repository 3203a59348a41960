/*
 * What the machine charges for the operations a purge policy trades against each other:
 * madvise(MADV_DONTNEED) and the page fault of the next touch, madvise(MADV_FREE) and the next
 * touch, and a plain system call. docs/benchmarks.md quotes its output.
 *
 *   gcc -O2 -o /tmp/page-fault-cost docs/probes/page-fault-cost.c && /tmp/page-fault-cost
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { MAPPING_BYTES = 64 << 20, ROUNDS = 3, SYSCALLS = 100000 };

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void touch_every_page(volatile char *p, size_t bytes, size_t page) {
    for (size_t i = 0; i < bytes; i += page) {
        p[i] = 1;
    }
}

/* Times touching every page after advice (or none, for a fresh mapping); returns ns per page. */
static double advise_then_touch(char *p, size_t pages, size_t page, int advice, double *advise_ns_per_page) {
    touch_every_page(p, pages * page, page);
    double t0 = now_ns();
    madvise(p, pages * page, advice);
    double t1 = now_ns();
    touch_every_page(p, pages * page, page);
    double t2 = now_ns();
    *advise_ns_per_page = (t1 - t0) / pages;
    return (t2 - t1) / pages;
}

int main(void) {
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    size_t pages = MAPPING_BYTES / page;
    char *p = mmap(NULL, MAPPING_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    double advise_ns;
    for (int round = 0; round < ROUNDS; round++) {
        double touch_ns = advise_then_touch(p, pages, page, MADV_DONTNEED, &advise_ns);
        printf("MADV_DONTNEED: %5.0f ns/page   touch after it (a page fault): %6.0f ns/page\n", advise_ns, touch_ns);
    }
    for (int round = 0; round < ROUNDS; round++) {
        double touch_ns = advise_then_touch(p, pages, page, MADV_FREE, &advise_ns);
        printf("MADV_FREE:     %5.0f ns/page   touch after it:                %6.0f ns/page\n", advise_ns, touch_ns);
    }
    double t0 = now_ns();
    for (int i = 0; i < SYSCALLS; i++) {
        syscall(SYS_getppid);
    }
    double t1 = now_ns();
    printf("system call (getppid): %.0f ns\n", (t1 - t0) / SYSCALLS);
    munmap(p, MAPPING_BYTES);
    return 0;
}
