package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * mimalloc's stress test (mimalloc-bench {@code mstress}): threads allocate and free blocks of
 * linearly distributed sizes (1 to 128 words, one in a hundred a hundred times larger), swap
 * blocks with the other threads through a shared table of {@value #TRANSFER_SLOTS} slots, and
 * end while still holding blocks, which other threads free.
 *
 * <p>Each round of a lane runs on a new platform thread, which ends holding its table of blocks:
 * the next round's thread frees them. The blocks it put in the shared table are freed by
 * whichever thread takes them out. Each block's first word says its size (xor a cookie) and
 * the bytes after it carry the size's tag, so a block can be checked by any thread.
 */
final class MstressLanes {

    static final int TRANSFER_SLOTS = 1_000;
    /** Live blocks a thread can hold. */
    static final int SLOTS_PER_THREAD = 2_000;
    static final int MAX_WORDS = 128;
    /** One allocation in {@value} is {@value #HUGE_FACTOR} times larger. */
    private static final int HUGE_ONE_IN = 100;
    private static final int HUGE_FACTOR = 100;
    /** One step in {@value} swaps a block with the shared table. */
    private static final int TRANSFER_ONE_IN = 4;
    /** Marks a block's size word, so that a stray size is not mistaken for one. */
    private static final long COOKIE = 0xBF58476D1CE4E5B9L;

    private MstressLanes() {
    }

    static List<Lane> create(BenchAllocator allocator, int threads, int opsPerRound, long seed) {
        AtomicLongArray transfer = new AtomicLongArray(TRANSFER_SLOTS);
        int[] ops = Quotas.split(opsPerRound, threads);
        return IntStream.range(0, threads)
                .<Lane>mapToObj(lane -> new StressLane(allocator, transfer, lane, ops[lane], new SplittableRandom(seed + lane)))
                .toList();
    }

    private static final class StressLane implements Lane {

        private final BenchAllocator allocator;
        private final AtomicLongArray transfer;
        private final int lane;
        private final int opsPerRound;
        private final SplittableRandom random;
        private final long[] blocks = new long[SLOTS_PER_THREAD];
        private int generation;

        StressLane(BenchAllocator allocator, AtomicLongArray transfer, int lane, int opsPerRound, SplittableRandom random) {
            this.allocator = allocator;
            this.transfer = transfer;
            this.lane = lane;
            this.opsPerRound = opsPerRound;
            this.random = random;
        }

        @Override
        public void fill() {
        }

        /** Runs the round on a new thread that ends holding blocks; the next round's thread frees them. */
        @Override
        public void round() {
            Thread generationThread = Thread.ofPlatform().name("mstress-lane-" + lane + "-generation-" + generation++)
                    .start(this::stress);
            try {
                generationThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an mstress thread", e);
            }
        }

        private void stress() {
            for (int done = 0; done < opsPerRound; done++) {
                int slot = random.nextInt(SLOTS_PER_THREAD);
                if (blocks[slot] == 0) {
                    blocks[slot] = allocateBlock();
                } else {
                    freeBlock(blocks[slot]);
                    blocks[slot] = 0;
                }
                if (random.nextInt(TRANSFER_ONE_IN) == 0) {
                    int swapped = random.nextInt(SLOTS_PER_THREAD);
                    blocks[swapped] = transfer.getAndSet(random.nextInt(TRANSFER_SLOTS), blocks[swapped]);
                }
            }
        }

        /** Frees this lane's blocks; lane 0 also frees what is left in the shared table. */
        @Override
        public void drain() {
            for (int slot = 0; slot < SLOTS_PER_THREAD; slot++) {
                if (blocks[slot] != 0) {
                    freeBlock(blocks[slot]);
                    blocks[slot] = 0;
                }
            }
            if (lane == 0) {
                for (int slot = 0; slot < TRANSFER_SLOTS; slot++) {
                    long block = transfer.getAndSet(slot, 0);
                    if (block != 0) {
                        freeBlock(block);
                    }
                }
            }
        }

        private long allocateBlock() {
            long byteSize = (long) Long.BYTES * (1 + random.nextInt(MAX_WORDS));
            if (random.nextInt(HUGE_ONE_IN) == 0) {
                byteSize *= HUGE_FACTOR;
            }
            long address = allocator.allocate(byteSize);
            Blocks.EVERYWHERE.set(ValueLayout.JAVA_LONG_UNALIGNED, address, byteSize ^ COOKIE);
            if (byteSize > Long.BYTES) {
                Blocks.write(address + Long.BYTES, byteSize - Long.BYTES, byteSize);
            }
            return address;
        }

        private void freeBlock(long address) {
            long byteSize = Blocks.EVERYWHERE.get(ValueLayout.JAVA_LONG_UNALIGNED, address) ^ COOKIE;
            if (byteSize < Long.BYTES || byteSize > (long) Long.BYTES * MAX_WORDS * HUGE_FACTOR) {
                throw new IllegalStateException("block 0x" + Long.toHexString(address) + " lost its size word: "
                        + (byteSize ^ COOKIE));
            }
            if (byteSize > Long.BYTES) {
                Blocks.check(address + Long.BYTES, byteSize - Long.BYTES, byteSize);
            }
            allocator.free(address);
        }
    }
}
