package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thousands of virtual threads each allocating and freeing: every round starts
 * {@value #VIRTUAL_THREADS} virtual threads (thread per task, as virtual threads are meant to be
 * used); each allocates {@value #BLOCKS_PER_THREAD} blocks of 8 to {@value #MAX_BYTES} bytes, yields
 * (so that it may resume on another carrier thread, and the others interleave with it), then
 * frees its blocks in reverse order. The time includes starting and scheduling the virtual
 * threads, the same for every allocator.
 */
final class VirtualThreadLanes {

    static final int VIRTUAL_THREADS = 2_048;
    static final int BLOCKS_PER_THREAD = 32;
    static final int MIN_BYTES = 8;
    static final int MAX_BYTES = 512;
    /** An allocation and its free per block. */
    static final int OPS_PER_ROUND = 2 * VIRTUAL_THREADS * BLOCKS_PER_THREAD;

    private VirtualThreadLanes() {
    }

    /** @return one lane, which starts the virtual threads of each round and waits for them */
    static List<Lane> create(BenchAllocator allocator, int opsPerRound, long seed) {
        if (opsPerRound != OPS_PER_ROUND) {
            throw new IllegalArgumentException("a round of " + opsPerRound + " operations (expected: " + OPS_PER_ROUND
                    + ", " + VIRTUAL_THREADS + " virtual threads of " + BLOCKS_PER_THREAD + " blocks)");
        }
        return List.of(new StarterLane(allocator, seed));
    }

    private static final class StarterLane implements Lane {

        private final BenchAllocator allocator;
        private final long seed;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private long rounds;

        StarterLane(BenchAllocator allocator, long seed) {
            this.allocator = allocator;
            this.seed = seed;
        }

        @Override
        public void fill() {
        }

        @Override
        public void round() {
            List<Thread> threads = new ArrayList<>(VIRTUAL_THREADS);
            for (int i = 0; i < VIRTUAL_THREADS; i++) {
                SplittableRandom random = new SplittableRandom(seed + rounds * VIRTUAL_THREADS + i);
                threads.add(Thread.ofVirtual().start(() -> allocateYieldFree(random)));
            }
            rounds++;
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the virtual threads", e);
                }
            }
            Throwable failed = failure.getAndSet(null);
            if (failed != null) {
                throw new IllegalStateException("a virtual thread failed", failed);
            }
        }

        private void allocateYieldFree(SplittableRandom random) {
            try {
                long[] addresses = new long[BLOCKS_PER_THREAD];
                int[] byteSizes = new int[BLOCKS_PER_THREAD];
                for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                    byteSizes[i] = random.nextInt(MIN_BYTES, MAX_BYTES + 1);
                    addresses[i] = allocator.allocate(byteSizes[i]);
                    Blocks.write(addresses[i], byteSizes[i], i);
                }
                Thread.yield();
                for (int i = BLOCKS_PER_THREAD - 1; i >= 0; i--) {
                    Blocks.check(addresses[i], byteSizes[i], i);
                    allocator.free(addresses[i]);
                }
            } catch (Throwable failed) {   // reported by the starter, which rethrows it
                failure.compareAndSet(null, failed);
            }
        }

        /** Nothing to free: every virtual thread frees its blocks before it ends. */
        @Override
        public void drain() {
        }
    }
}
