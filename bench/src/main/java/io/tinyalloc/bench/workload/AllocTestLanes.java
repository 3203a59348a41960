package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * OLogN's allocator tester (mimalloc-bench {@code alloc-test}): each thread has a table of
 * slots and visits them by an 80/20 Pareto law, allocating into an empty slot and freeing a
 * full one, so that a few slots churn fast and most hold long-lived blocks. Sizes follow the
 * tester's law too: a power-of-two class picked with probability halving at each class up,
 * then a size uniform in it, from 5 bytes to {@value #MAX_BYTES}. Every thread works on its
 * own blocks.
 *
 * <p>The Pareto law: the slots fall in {@value #BANDS} bands, the band with {@code k} of
 * {@code 6} "rare" draws (binomial, probability {@code 0.2}) is visited with that probability
 * and covers the complementary share of the slots, so the likeliest band is the smallest.
 */
final class AllocTestLanes {

    static final int SLOTS_PER_THREAD = 1 << 16;
    static final int MAX_BYTES = 1 << 10;
    /** The 80/20 law over {@code BANDS - 1} draws: binomial(6, 0.2). */
    static final int BANDS = 7;
    private static final double RARE = 0.2;
    /** The smallest size class is (4, 8] bytes: (2^2, 2^3]. */
    private static final int SMALLEST_CLASS_SHIFT = 2;
    /** Classes (4, 8] to (512, 1024]. */
    private static final int SIZE_CLASSES = Integer.numberOfTrailingZeros(MAX_BYTES) - SMALLEST_CLASS_SHIFT;

    private AllocTestLanes() {
    }

    static List<Lane> create(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
        int[] ops = Quotas.split(opsPerRound, threads);
        return IntStream.range(0, threads)
                .<Lane>mapToObj(lane -> new TesterLane(allocator, ops[lane], new SplittableRandom(seed + lane)))
                .toList();
    }

    /** @return the first slot of each band, and {@link #SLOTS_PER_THREAD} last */
    static int[] bandStarts() {
        int[] starts = new int[BANDS + 1];
        for (int band = 0; band < BANDS; band++) {
            // band b covers the share of the slots that band (BANDS - 1 - b) is visited with, at least one slot
            int share = (int) (SLOTS_PER_THREAD * binomial(BANDS - 1 - band));
            starts[band + 1] = Math.min(SLOTS_PER_THREAD, starts[band] + Math.max(1, share));
        }
        starts[BANDS] = SLOTS_PER_THREAD;
        return starts;
    }

    /** @return the cumulative probability of each band, the last one 1 */
    static double[] bandOdds() {
        double[] cumulative = new double[BANDS];
        double sum = 0;
        for (int band = 0; band < BANDS; band++) {
            sum += binomial(band);
            cumulative[band] = sum;
        }
        cumulative[BANDS - 1] = 1;
        return cumulative;
    }

    /** @return the probability of {@code rare} rare draws out of {@code BANDS - 1} */
    private static double binomial(int rare) {
        int draws = BANDS - 1;
        double ways = 1;
        for (int i = 0; i < rare; i++) {
            ways = ways * (draws - i) / (i + 1);
        }
        return ways * Math.pow(RARE, rare) * Math.pow(1 - RARE, draws - rare);
    }

    /** @return a size of the tester's law: class c with probability 2^-(c+1), uniform within it */
    static int byteSize(SplittableRandom random) {
        int sizeClass = Math.min(SIZE_CLASSES - 1, Integer.numberOfTrailingZeros(random.nextInt() | 1 << (SIZE_CLASSES - 1)));
        int low = 1 << (sizeClass + SMALLEST_CLASS_SHIFT);
        return low + 1 + random.nextInt(low);
    }

    private static final class TesterLane implements Lane {

        private final BenchAllocator allocator;
        private final int opsPerRound;
        private final SplittableRandom random;
        private final long[] addresses = new long[SLOTS_PER_THREAD];
        private final int[] byteSizes = new int[SLOTS_PER_THREAD];
        private final int[] bandStarts = bandStarts();
        private final double[] bandOdds = bandOdds();

        TesterLane(BenchAllocator allocator, int opsPerRound, SplittableRandom random) {
            this.allocator = allocator;
            this.opsPerRound = opsPerRound;
            this.random = random;
        }

        /** Fills about half of the slots, as the tester's saturation phase does. */
        @Override
        public void fill() {
            for (int slot = 0; slot < SLOTS_PER_THREAD; slot++) {
                if (random.nextBoolean()) {
                    allocateInto(slot);
                }
            }
        }

        @Override
        public void round() {
            for (int done = 0; done < opsPerRound; done++) {
                int slot = nextSlot();
                if (addresses[slot] == 0) {
                    allocateInto(slot);
                } else {
                    free(slot);
                }
            }
        }

        @Override
        public void drain() {
            for (int slot = 0; slot < SLOTS_PER_THREAD; slot++) {
                if (addresses[slot] != 0) {
                    free(slot);
                }
            }
        }

        private int nextSlot() {
            double draw = random.nextDouble();
            int band = 0;
            while (draw >= bandOdds[band]) {
                band++;
            }
            return random.nextInt(bandStarts[band], bandStarts[band + 1]);
        }

        private void allocateInto(int slot) {
            int byteSize = byteSize(random);
            long address = allocator.allocate(byteSize);
            Blocks.write(address, byteSize, slot);
            addresses[slot] = address;
            byteSizes[slot] = byteSize;
        }

        private void free(int slot) {
            Blocks.check(addresses[slot], byteSizes[slot], slot);
            allocator.free(addresses[slot]);
            addresses[slot] = 0;
        }
    }
}
