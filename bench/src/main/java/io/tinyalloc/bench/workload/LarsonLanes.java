package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Larson's server benchmark (mimalloc-bench {@code larson}): each thread keeps an array of
 * live blocks and, again and again, frees a random one and puts a new block of random size in
 * its place, writing its first bytes. In the original a thread that finished its share exits
 * and a new thread carries on with its array, so blocks are freed by other threads than the
 * ones that allocated them; here the threads stay and pass the arrays on instead: in round
 * {@code r} lane {@code i} works on array {@code (i + r) mod n}. With one thread the array
 * stays with its thread.
 */
final class LarsonLanes {

    /** Blocks per thread: mimalloc-bench runs larson with 5,000 chunks per thread, 8 to 1,000 bytes. */
    static final int BLOCKS_PER_THREAD = 5_000;
    static final int MIN_BYTES = 8;
    static final int MAX_BYTES = 1_000;
    /** Each replacement is two operations: a free and an allocation. */
    private static final int OPS_PER_REPLACEMENT = 2;

    /** The arrays of live blocks, one per thread, passed from lane to lane between rounds. */
    private record Array(long[] addresses, int[] byteSizes) {
        Array() {
            this(new long[BLOCKS_PER_THREAD], new int[BLOCKS_PER_THREAD]);
        }
    }

    private LarsonLanes() {
    }

    static List<Lane> create(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
        Array[] arrays = IntStream.range(0, threads).mapToObj(unused -> new Array()).toArray(Array[]::new);
        int[] replacements = Quotas.split(opsPerRound / OPS_PER_REPLACEMENT, threads);
        return IntStream.range(0, threads)
                .<Lane>mapToObj(lane -> new LarsonLane(allocator, arrays, lane, replacements[lane], new SplittableRandom(seed + lane)))
                .toList();
    }

    private static final class LarsonLane implements Lane {

        private final BenchAllocator allocator;
        private final Array[] arrays;
        private final int lane;
        private final int replacementsPerRound;
        private final SplittableRandom random;
        private int rounds;

        LarsonLane(BenchAllocator allocator, Array[] arrays, int lane, int replacementsPerRound, SplittableRandom random) {
            this.allocator = allocator;
            this.arrays = arrays;
            this.lane = lane;
            this.replacementsPerRound = replacementsPerRound;
            this.random = random;
        }

        @Override
        public void fill() {
            Array array = arrays[lane];
            for (int slot = 0; slot < BLOCKS_PER_THREAD; slot++) {
                allocateInto(array, slot);
            }
        }

        @Override
        public void round() {
            Array array = currentArray();
            for (int done = 0; done < replacementsPerRound; done++) {
                int victim = random.nextInt(BLOCKS_PER_THREAD);
                free(array, victim);
                allocateInto(array, victim);
            }
            rounds++;
        }

        @Override
        public void drain() {
            Array array = currentArray();
            for (int slot = 0; slot < BLOCKS_PER_THREAD; slot++) {
                free(array, slot);
            }
        }

        private Array currentArray() {
            return arrays[(lane + rounds) % arrays.length];
        }

        private void allocateInto(Array array, int slot) {
            int byteSize = random.nextInt(MIN_BYTES, MAX_BYTES + 1);
            long address = allocator.allocate(byteSize);
            Blocks.write(address, byteSize, byteSize);
            array.addresses()[slot] = address;
            array.byteSizes()[slot] = byteSize;
        }

        private void free(Array array, int slot) {
            long address = array.addresses()[slot];
            Blocks.check(address, array.byteSizes()[slot], array.byteSizes()[slot]);
            allocator.free(address);
            array.addresses()[slot] = 0;
        }
    }
}
