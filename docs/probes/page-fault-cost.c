/*
 * What the machine charges for the operations a purge policy trades against each other: a first
 * touch of an anonymous page (a page fault), madvise(MADV_DONTNEED) and madvise(MADV_FREE), a
 * touch after MADV_FREE, and a plain system call. docs/benchmarks.md quotes its output.
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

int main(void) {
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    size_t pages = MAPPING_BYTES / page;
    char *p = mmap(NULL, MAPPING_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (int round = 0; round < ROUNDS; round++) {
        double t0 = now_ns();
        touch_every_page(p, MAPPING_BYTES, page);
        double t1 = now_ns();
        madvise(p, MAPPING_BYTES, MADV_DONTNEED);
        double t2 = now_ns();
        printf("first touch (page fault): %6.0f ns/page   MADV_DONTNEED: %5.0f ns/page\n",
               (t1 - t0) / pages, (t2 - t1) / pages);
    }
    for (int round = 0; round < ROUNDS; round++) {
        touch_every_page(p, MAPPING_BYTES, page);
        double t0 = now_ns();
        madvise(p, MAPPING_BYTES, MADV_FREE);
        double t1 = now_ns();
        touch_every_page(p, MAPPING_BYTES, page);
        double t2 = now_ns();
        printf("MADV_FREE: %5.0f ns/page   touch after MADV_FREE: %6.0f ns/page\n",
               (t1 - t0) / pages, (t2 - t1) / pages);
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
