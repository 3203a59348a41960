package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Hoard's false-sharing test (mimalloc-bench {@code cache-scratch}): one thread allocates one
 * small block for each thread, one after the other, so they likely share a cache line; each
 * thread frees the block it was given, then again and again allocates a block of the same
 * size, writes it {@value #WRITES_PER_BLOCK} times and frees it. An allocator that gives a
 * thread back the block just freed by another, next to the blocks of the others, makes the
 * threads write to one cache line; the writes dominate the time, which is the point.
 *
 * <p>Lane 0 plays the allocating thread: it allocates every lane's block for the next round at
 * the end of each round (and in {@link Lane#fill()}), and each lane frees its own at the start
 * of the next. Two sets of given blocks alternate, so that lane 0 never writes the set that a
 * slower lane has yet to read.
 */
final class CacheScratchLanes {

    /** As mimalloc-bench runs it: tiny objects, so that several share a cache line. */
    static final int BLOCK_BYTES = 8;
    /** Opaque byte writes (and reads) per allocated block: enough that writing dominates. */
    static final int WRITES_PER_BLOCK = 100;
    /** Each cycle is two operations: an allocation and its free. */
    private static final int OPS_PER_CYCLE = 2;

    /** The set of given blocks being freed and the set being allocated for the next round. */
    private static final int GIVEN_SETS = 2;

    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private CacheScratchLanes() {
    }

    static List<Lane> create(BenchAllocator allocator, int threads, int opsPerRound) {
        long[][] given = new long[GIVEN_SETS][threads];
        // Lane 0 allocates all the given blocks and every lane frees one: 2 x threads operations.
        int[] cycles = Quotas.split((opsPerRound - OPS_PER_CYCLE * threads) / OPS_PER_CYCLE, threads);
        return IntStream.range(0, threads).<Lane>mapToObj(lane -> new ScratchLane(allocator, given, lane, cycles[lane])).toList();
    }

    private static final class ScratchLane implements Lane {

        private final BenchAllocator allocator;
        private final long[][] given;
        private final int lane;
        private final int cyclesPerRound;
        private int rounds;

        ScratchLane(BenchAllocator allocator, long[][] given, int lane, int cyclesPerRound) {
            this.allocator = allocator;
            this.given = given;
            this.lane = lane;
            this.cyclesPerRound = cyclesPerRound;
        }

        @Override
        public void fill() {
            allocateGivenBlocks(given[0]);
        }

        @Override
        public void round() {
            freeGivenBlock();
            for (int cycle = 0; cycle < cyclesPerRound; cycle++) {
                long address = allocator.allocate(BLOCK_BYTES);
                scribble(address);
                allocator.free(address);
            }
            rounds++;
            allocateGivenBlocks(given[rounds % GIVEN_SETS]);
        }

        @Override
        public void drain() {
            freeGivenBlock();
        }

        /** Lane 0 only: the others read the addresses after the next phase advance. */
        private void allocateGivenBlocks(long[] next) {
            if (lane == 0) {
                for (int i = 0; i < next.length; i++) {
                    next[i] = allocator.allocate(BLOCK_BYTES);
                    Blocks.write(next[i], BLOCK_BYTES, i);
                }
            }
        }

        private void freeGivenBlock() {
            long[] current = given[rounds % GIVEN_SETS];
            Blocks.check(current[lane], BLOCK_BYTES, lane);
            allocator.free(current[lane]);
            current[lane] = 0;
        }

        /** Opaque accesses: the JIT may neither drop nor merge them, so each one reaches the cache. */
        private static void scribble(long address) {
            for (int write = 0; write < WRITES_PER_BLOCK; write++) {
                long at = address + write % BLOCK_BYTES;
                BYTE.setOpaque(Blocks.EVERYWHERE, at, (byte) write);
                byte read = (byte) BYTE.getOpaque(Blocks.EVERYWHERE, at);
                if (read != (byte) write) {
                    throw new IllegalStateException("block 0x" + Long.toHexString(address) + " changed under its writer at "
                            + (at - address) + ": " + read + " (expected: " + (byte) write + ")");
                }
            }
        }
    }
}
