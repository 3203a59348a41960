package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * MicroQuill's SmartHeap benchmark (mimalloc-bench {@code sh6bench}): each thread fills a ring
 * of {@value #SLOTS_PER_THREAD} slots with blocks whose sizes sweep up from 1 byte to
 * {@value #MAX_BYTES} (a size and its halvings, smaller sizes many more times), and whenever the
 * ring is full frees the part below a kept window in allocation order and the part above it in
 * reverse order (LIFO); the window, a fifth of the ring, stays live and moves up one fifth per
 * cycle. Every thread works on its own blocks; the sizes are the same in every run, no random.
 *
 * <p>Unlike the original, a new block never lands in a slot of the kept window (the original
 * overwrites one there when the window starts at the ring's first slot, leaking its block).
 */
final class Sh6benchLanes {

    static final int SLOTS_PER_THREAD = 4_000;
    /** The kept window is this fraction of the ring. */
    private static final int WINDOW_DIVISOR = 5;
    static final int MAX_BYTES = 1_000;
    /** Below these sizes a size is allocated this many times more often: sh6bench's weights. */
    private static final int SMALL_BYTES = 100;
    private static final int MEDIUM_BYTES = 1_000;
    private static final int LARGE_BYTES = 10_000;
    private static final int REPEATS_BELOW_LARGE = 10;
    private static final int FACTOR_BELOW_MEDIUM = 5;
    private static final int FACTOR_BELOW_SMALL = 5;

    private Sh6benchLanes() {
    }

    static List<Lane> create(BenchAllocator allocator, int threads, int opsPerRound) {
        int[] ops = Quotas.split(opsPerRound, threads);
        return IntStream.range(0, threads).<Lane>mapToObj(lane -> new RingLane(allocator, ops[lane])).toList();
    }

    /** How many times in a row sh6bench allocates a size. */
    static int repeats(int byteSize) {
        int repeats = byteSize < LARGE_BYTES ? REPEATS_BELOW_LARGE : 1;
        if (byteSize < MEDIUM_BYTES) {
            repeats *= FACTOR_BELOW_MEDIUM;
        }
        if (byteSize < SMALL_BYTES) {
            repeats *= FACTOR_BELOW_SMALL;
        }
        return repeats;
    }

    /** The sweep of sizes: each base size (growing by half, plus one) then its halvings down to 1. */
    static final class SizeSweep {
        private int baseBytes = 1;
        private int byteSize = 1;
        private int repeatsLeft = repeats(1);

        int next() {
            if (repeatsLeft == 0) {
                byteSize /= 2;
                if (byteSize == 0) {
                    baseBytes = baseBytes * 3 / 2 + 1;
                    if (baseBytes >= MAX_BYTES) {
                        baseBytes = 1;
                    }
                    byteSize = baseBytes;
                }
                repeatsLeft = repeats(byteSize);
            }
            repeatsLeft--;
            return byteSize;
        }
    }

    /**
     * One thread's ring. Its state survives between rounds, so a round may stop anywhere: in the
     * middle of filling the ring or of either sweep of frees.
     */
    private static final class RingLane implements Lane {

        private enum Step { ALLOCATING, FREEING_UP, FREEING_DOWN }

        private final BenchAllocator allocator;
        private final int opsPerRound;
        private final long[] addresses = new long[SLOTS_PER_THREAD];
        private final int[] byteSizes = new int[SLOTS_PER_THREAD];
        private final SizeSweep sizes = new SizeSweep();
        private Step step = Step.ALLOCATING;
        private int cursor;
        /** The kept window: [windowStart, windowEnd); empty before the first cycle. */
        private int windowStart = SLOTS_PER_THREAD;
        private int windowEnd = SLOTS_PER_THREAD;

        RingLane(BenchAllocator allocator, int opsPerRound) {
            this.allocator = allocator;
            this.opsPerRound = opsPerRound;
        }

        @Override
        public void fill() {
        }

        @Override
        public void round() {
            for (int done = 0; done < opsPerRound; done++) {
                switch (step) {
                    case ALLOCATING -> allocateNext();
                    case FREEING_UP -> freeUp();
                    case FREEING_DOWN -> freeDown();
                }
            }
        }

        private void allocateNext() {
            if (cursor == windowStart) {
                cursor = windowEnd;
            }
            int byteSize = sizes.next();
            long address = allocator.allocate(byteSize);
            Blocks.write(address, byteSize, cursor);
            addresses[cursor] = address;
            byteSizes[cursor] = byteSize;
            cursor++;
            if (cursor == windowStart) {
                cursor = windowEnd;
            }
            if (cursor >= SLOTS_PER_THREAD) {
                moveWindow();
            }
        }

        /** The ring is full: the window moves up a fifth, and what is outside it goes. */
        private void moveWindow() {
            windowStart = windowEnd >= SLOTS_PER_THREAD ? 0 : windowEnd;
            windowEnd = Math.min(SLOTS_PER_THREAD, windowStart + SLOTS_PER_THREAD / WINDOW_DIVISOR);
            cursor = 0;
            step = Step.FREEING_UP;
            skipEmptySweeps();
        }

        /** Frees below the window in allocation order. */
        private void freeUp() {
            free(cursor++);
            skipEmptySweeps();
        }

        /** Frees above the window in reverse order. */
        private void freeDown() {
            free(--cursor);
            skipEmptySweeps();
        }

        private void skipEmptySweeps() {
            if (step == Step.FREEING_UP && cursor >= windowStart) {
                step = Step.FREEING_DOWN;
                cursor = SLOTS_PER_THREAD;
            }
            if (step == Step.FREEING_DOWN && cursor <= windowEnd) {
                step = Step.ALLOCATING;
                cursor = 0;
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

        private void free(int slot) {
            Blocks.check(addresses[slot], byteSizes[slot], slot);
            allocator.free(addresses[slot]);
            addresses[slot] = 0;
        }
    }
}
