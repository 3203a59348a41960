package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What the tests do with blocks: fill them with a pattern that names the block and its holder,
 * check it, and wait for a block that another actor hands over.
 *
 * <p>A pattern is the block's address xor a holder's tag xor the word's offset, in every word:
 * a block handed out twice, or purged while live (the system gives back zeroes), or written by a
 * holder that should not have it, no longer matches.
 */
final class Blocks {

    /** The pattern of a block the owner hands to the remote actor, which checks it and frees it. */
    static final long HANDED_OFF_TAG = 0x6861_6e64_6564_2d6fL;
    /** The pattern of a block the owner holds. */
    static final long OWNER_TAG = 0x6f77_6e65_722d_6865L;

    /** Pages a pair is looked for on before giving up: each has room for several blocks. */
    private static final int MAX_PAIR_TRIES = 64;
    /** The longest an actor waits for the other: far beyond any scheduling delay, short enough to end a hung run. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Blocks() {
    }

    static void fill(long block, long tag) {
        for (long offset = 0; offset < StressEngines.BLOCK_BYTE_SIZE; offset += Long.BYTES) {
            NativeMemory.putLongPlain(block + offset, block ^ tag ^ offset);
        }
    }

    static boolean intact(long block, long tag) {
        for (long offset = 0; offset < StressEngines.BLOCK_BYTE_SIZE; offset += Long.BYTES) {
            if (NativeMemory.getLongPlain(block + offset) != (block ^ tag ^ offset)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Allocates two blocks of the same page into {@code blocks[0]} and {@code blocks[1]}: when the
     * first is the last free block of its page, it is freed and another pair is taken.
     *
     * @throws IllegalStateException if no two blocks in a row share a page after many tries
     */
    static void allocatePairOnOnePage(EngineAllocator engine, long[] blocks) {
        long first = engine.allocate(StressEngines.BLOCK_BYTE_SIZE);
        for (int tries = 0; tries < MAX_PAIR_TRIES; tries++) {
            long second = engine.allocate(StressEngines.BLOCK_BYTE_SIZE);
            if (PageAudit.pageOf(engine, first) == PageAudit.pageOf(engine, second)) {
                blocks[0] = first;
                blocks[1] = second;
                return;
            }
            engine.free(first);
            first = second;
        }
        throw new IllegalStateException(MAX_PAIR_TRIES + " blocks of " + StressEngines.BLOCK_BYTE_SIZE
                + " bytes in a row each came from another page (expected: two in a row from one page)");
    }

    static boolean contains(long[] blocks, int count, long block) {
        for (int i = 0; i < count; i++) {
            if (blocks[i] == block) {
                return true;
            }
        }
        return false;
    }

    static void freeAll(Allocator allocator, long[] blocks, int count) {
        for (int i = 0; i < count; i++) {
            allocator.free(blocks[i]);
        }
    }

    /**
     * Waits for another actor to publish a block. The publisher never waits for the caller before
     * it publishes, and jcstress runs the actors of a state on threads of their own at the same
     * time, so the wait ends, unless the publisher threw.
     *
     * @throws IllegalStateException after {@link #MAX_WAIT_NANOS}: the other actor failed
     */
    static long await(LongSupplier published) {
        long block;
        long start = System.nanoTime();
        while ((block = published.getAsLong()) == 0) {
            checkWaited(start, "a block from the owner");
            Thread.onSpinWait();
        }
        return block;
    }

    /** Waits for another actor to set a flag; see {@link #await(LongSupplier)}. */
    static void await(BooleanSupplier done, String what) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            checkWaited(start, what);
            Thread.onSpinWait();
        }
    }

    private static void checkWaited(long start, String what) {
        if (System.nanoTime() - start > MAX_WAIT_NANOS) {
            throw new IllegalStateException("waited " + TimeUnit.NANOSECONDS.toSeconds(MAX_WAIT_NANOS) + " s for "
                    + what + " (expected: the other actor to hand it over at once; did it throw?)");
        }
    }
}
