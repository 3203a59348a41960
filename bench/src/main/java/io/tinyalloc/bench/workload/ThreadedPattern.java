package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.List;

/**
 * The multi-threaded allocation patterns: mimalloc-bench's, reimplemented on the bench
 * allocator interface, and virtual threads. Each makes the {@link Lane}s of a round of a given
 * number of operations.
 */
enum ThreadedPattern {

    LARSON("larson", "server-style: random frees and reallocations of 8-1,000 B blocks, arrays passed between threads") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return LarsonLanes.create(allocator, threads, opsPerRound, seed);
        }

        @Override
        boolean freesAcrossThreads(int threads) {
            return threads > 1;
        }
    },
    XMALLOC_TEST("xmalloc-test", "producer threads allocate 8 B-2 KiB blocks in batches, as many consumer threads free them") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return XmallocLanes.create(allocator, threads, opsPerRound, seed);
        }

        @Override
        boolean freesAcrossThreads(int threads) {
            return true;
        }

        @Override
        String threadsDescription(int threads) {
            return threads + (threads == 1 ? " producer and 1 consumer" : " producers and " + threads + " consumers");
        }
    },
    CACHE_SCRATCH("cache-scratch", "false sharing: threads free 8 B blocks that one thread allocated, then allocate, write and free their own") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return CacheScratchLanes.create(allocator, threads, opsPerRound);
        }

        @Override
        boolean freesAcrossThreads(int threads) {
            return threads > 1;
        }
    },
    ALLOC_TEST("alloc-test", "Pareto 80/20 churn of a table of blocks per thread, sizes 5 B-1 KiB, small ones likeliest") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return AllocTestLanes.create(allocator, threads, opsPerRound, seed);
        }
    },
    MSTRESS("mstress", "threads end holding 8 B-100 KiB blocks and swap blocks through a shared table; other threads free them") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return MstressLanes.create(allocator, threads, opsPerRound, seed);
        }

        @Override
        boolean freesAcrossThreads(int threads) {
            return true;
        }
    },
    SH6BENCH("sh6bench", "sweeps of 1-1,000 B sizes in a ring, freed in allocation order and in reverse (LIFO) around a kept window") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return Sh6benchLanes.create(allocator, threads, opsPerRound);
        }
    },
    VIRTUAL_THREADS("vthreads", "2,048 virtual threads a round, each allocating 32 blocks of 8-512 B, yielding, freeing them") {
        @Override
        List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
            return VirtualThreadLanes.create(allocator, opsPerRound, seed);
        }

        @Override
        String threadsDescription(int threads) {
            return "started by 1 platform thread";
        }
    };

    private final String label;
    private final String description;

    ThreadedPattern(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** @return the name's stem, such as {@code larson} */
    String label() {
        return label;
    }

    /** @return what it stresses, one line, without the threads */
    String description() {
        return description;
    }

    /** @return how the threads are named in the description */
    String threadsDescription(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    /**
     * Makes the lanes of a run.
     *
     * @param threads the workload's thread count (for xmalloc-test, of each kind)
     * @param opsPerRound the allocations and frees of one round, all lanes together
     * @param seed the seed of the random choices, each lane's derived from it
     */
    abstract List<Lane> lanes(BenchAllocator allocator, int threads, int opsPerRound, long seed);

    /** @return whether a block may be freed by another thread than the one that allocated it */
    boolean freesAcrossThreads(int threads) {
        return false;
    }
}
