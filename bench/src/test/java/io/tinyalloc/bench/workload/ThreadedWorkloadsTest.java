package io.tinyalloc.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs each threaded workload for a few rounds on tinyalloc directly, not through JMH. */
class ThreadedWorkloadsTest {

    private static final int ROUNDS = 3;

    static Stream<String> threadedNames() {
        return Stream.concat(Workloads.threaded().stream().map(Workload::name), Stream.of("larson-3t", "xmalloc-test-3t"));
    }

    @ParameterizedTest
    @MethodSource("threadedNames")
    void roundsRunTheirOperationsAndLeaveNothingLive(String name) throws AllocatorUnavailableException {
        try (Allocator tinyalloc = TinyAlloc.create()) {
            CountingAllocator counting = new CountingAllocator(tinyalloc);
            try (ThreadedRun run = Workloads.threaded(name).start(counting)) {
                long afterFill = counting.operations();
                AtomicLong samples = new AtomicLong();
                run.round(samples::incrementAndGet);
                for (int round = 1; round < ROUNDS; round++) {
                    run.round();
                }

                assertEquals((long) ROUNDS * ThreadedWorkload.OPS_PER_ROUND, counting.operations() - afterFill,
                        name + ": allocations and frees of " + ROUNDS + " rounds");
            }
            assertEquals(0, tinyalloc.stats().liveBlocks(), name + ": live blocks after close");
            assertEquals(counting.allocations(), counting.frees(), name + ": every block freed");
        }
    }

    @Test
    void crossThreadWorkloadsRefuseAnAllocatorThatFreesOnlyWhereItAllocated() throws AllocatorUnavailableException {
        try (BenchAllocator arena = BenchAllocators.open(BenchAllocators.ARENA)) {
            AllocatorUnavailableException e = assertThrows(AllocatorUnavailableException.class,
                    () -> Workloads.threaded("larson-2t").start(arena));

            assertTrue(e.getMessage().startsWith("baseline:arena cannot run larson-2t: the workload frees blocks in other"
                    + " threads"), e.getMessage());
        }
    }

    @Test
    void singleThreadWorkloadsRunOnAConfinedArena() throws AllocatorUnavailableException {
        try (BenchAllocator arena = BenchAllocators.open(BenchAllocators.ARENA);
                ThreadedRun run = Workloads.threaded("sh6bench-2t").start(arena)) {
            run.round();
        }
    }

    @Test
    void aFailingThreadFailsTheRoundAndTheRunStillCloses() throws AllocatorUnavailableException {
        try (Allocator tinyalloc = TinyAlloc.create()) {
            CountingAllocator failing = new CountingAllocator(tinyalloc);
            ThreadedRun run = Workloads.threaded("alloc-test-2t").start(failing);
            failing.failAfter(1_000);

            IllegalStateException e = assertThrows(IllegalStateException.class, run::round);
            assertTrue(e.getCause().getMessage().contains("injected"), e.getCause().toString());
            failing.failAfter(Long.MAX_VALUE);
            run.close();
            assertEquals(0, tinyalloc.stats().liveBlocks(), "live blocks after close");
        }
    }

    @Test
    void shSweepsSizesUpToTheMaximumWithSmallOnesRepeated() {
        Sh6benchLanes.SizeSweep sweep = new Sh6benchLanes.SizeSweep();
        int max = 0;
        for (int i = 0; i < 100_000; i++) {
            max = Math.max(max, sweep.next());
        }

        assertTrue(max < Sh6benchLanes.MAX_BYTES && max > Sh6benchLanes.MAX_BYTES / 2, "largest size " + max);
        assertEquals(250, Sh6benchLanes.repeats(10));
        assertEquals(50, Sh6benchLanes.repeats(500));
    }

    @Test
    void allocTestSizesAreSmallMostlyAndAtMostOneKibibyte() {
        long seed = 42;
        SplittableRandom random = new SplittableRandom(seed);
        int small = 0;
        for (int i = 0; i < 10_000; i++) {
            int size = AllocTestLanes.byteSize(random);
            assertTrue(size > 4 && size <= AllocTestLanes.MAX_BYTES, "size " + size + ", seed " + seed);
            small += size <= 16 ? 1 : 0;
        }
        assertTrue(small > 7_000 && small < 8_000, small + " of 10,000 at most 16 bytes, seed " + seed);
        int[] starts = AllocTestLanes.bandStarts();
        assertEquals(List.of(0, AllocTestLanes.SLOTS_PER_THREAD), List.of(starts[0], starts[AllocTestLanes.BANDS]));
        assertTrue(starts[1] - starts[0] < 10, "the likeliest band is a handful of slots: " + (starts[1] - starts[0]));
    }

    /** tinyalloc, counting the calls, optionally failing after some. */
    private static final class CountingAllocator implements BenchAllocator {

        private final Allocator allocator;
        private final AtomicLong allocations = new AtomicLong();
        private final AtomicLong frees = new AtomicLong();
        private volatile long failAfter = Long.MAX_VALUE;

        CountingAllocator(Allocator allocator) {
            this.allocator = allocator;
        }

        void failAfter(long operations) {
            failAfter = operations() + operations;
        }

        long operations() {
            return allocations.get() + frees.get();
        }

        long allocations() {
            return allocations.get();
        }

        long frees() {
            return frees.get();
        }

        @Override
        public long allocate(long byteSize) {
            if (operations() >= failAfter) {
                throw new IllegalStateException("injected failure");
            }
            allocations.incrementAndGet();
            return allocator.allocate(byteSize);
        }

        @Override
        public long allocateZeroed(long byteSize) {
            allocations.incrementAndGet();
            return allocator.allocateZeroed(byteSize);
        }

        @Override
        public long allocate(long byteSize, long byteAlignment) {
            allocations.incrementAndGet();
            return allocator.allocate(byteSize, byteAlignment);
        }

        @Override
        public long reallocate(long address, long byteSize) {
            return allocator.reallocate(address, byteSize);
        }

        @Override
        public void free(long address) {
            frees.incrementAndGet();
            allocator.free(address);
        }

        @Override
        public long committedBytes() {
            return allocator.stats().committedBytes();
        }

        @Override
        public String committedBytesSource() {
            return "tinyalloc stats";
        }

        @Override
        public String name() {
            return "counting tinyalloc";
        }

        @Override
        public void close() {
        }
    }
}
