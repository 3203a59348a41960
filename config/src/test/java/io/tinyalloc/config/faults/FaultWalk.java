package io.tinyalloc.config.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.config.faults.LiveBlocks.Block;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread's random walk over an allocator: allocations (plain, zeroed, reallocations) of
 * small and large sizes, and frees, keeping a {@link LiveBlocks} model. It holds the allocator
 * to the fault contract: an allocation either succeeds or throws
 * {@link AllocationFailedException} with the injected {@code errno}, and only while faults are
 * on; a failed reallocation leaves its block as it was; a free never throws; every block holds
 * its pattern until it is freed. Anything else escapes and fails the test.
 */
final class FaultWalk {

    private static final long KiB = 1 << 10;
    private static final long MiB = 1 << 20;
    /** Most allocations are up to this size: pages fill up and empty again. */
    private static final long COMMON_MAX_BYTE_SIZE = 2 * KiB;
    /** The largest size asked for: large blocks of a few sizes reuse the large cache. */
    private static final long MAX_BYTE_SIZE = 3 * MiB / 2;
    /** Above this many live blocks, the walk frees more than it allocates. */
    private static final int MANY_LIVE_BLOCKS = 300;

    private final Allocator allocator;
    private final Faults faults;
    private final SplittableRandom random;
    private final LiveBlocks live;
    private final long maxSmallByteSize;
    private final AtomicLong serials;
    private long failedAllocations;

    /**
     * @param maxSmallByteSize the largest size class: blocks whose usable size is above are large
     * @param serials shared by every walk on the allocator, so that patterns are unique
     */
    FaultWalk(Allocator allocator, Faults faults, SplittableRandom random, LiveBlocks live, long maxSmallByteSize,
            AtomicLong serials) {
        this.allocator = allocator;
        this.faults = faults;
        this.random = random;
        this.live = live;
        this.maxSmallByteSize = maxSmallByteSize;
        this.serials = serials;
    }

    /** How many allocations failed with {@link AllocationFailedException} so far. */
    long failedAllocations() {
        return failedAllocations;
    }

    /** One random step; returns the block it allocated and left live, or null. */
    Block step() {
        int freeWeight = live.size() > MANY_LIVE_BLOCKS ? 70 : 35;
        int roll = random.nextInt(100);
        if (live.isEmpty() || roll >= freeWeight) {
            return switch (random.nextInt(5)) {
                case 0 -> allocate(true);
                case 1 -> live.isEmpty() ? allocate(false) : reallocate();
                default -> allocate(false);
            };
        }
        free(live.removeAny(random));
        return null;
    }

    /** A size: mostly small, a tail up to the largest class, a fifth large. */
    long byteSize() {
        int roll = random.nextInt(100);
        if (roll < 60) {
            return random.nextLong(1, COMMON_MAX_BYTE_SIZE + 1);
        } else if (roll < 80) {
            return random.nextLong(COMMON_MAX_BYTE_SIZE, maxSmallByteSize + 1);
        }
        return random.nextLong(maxSmallByteSize + 1, MAX_BYTE_SIZE + 1);
    }

    /** Allocates, fills and keeps a block; returns null if the allocation failed. */
    Block allocate(boolean zeroed) {
        long byteSize = byteSize();
        long address;
        try {
            address = zeroed ? allocator.allocateZeroed(byteSize) : allocator.allocate(byteSize);
        } catch (AllocationFailedException e) {
            recordFailure(e);
            return null;
        }
        if (zeroed) {
            long nonZero = Contents.firstNonZero(address, byteSize);
            assertEquals(-1, nonZero, () -> "byte " + nonZero + " of allocateZeroed(" + byteSize + ") = 0x"
                    + Long.toHexString(address) + " is not zero");
        }
        return keep(address, byteSize);
    }

    /** Reallocates a live block to a new size; on failure the block must be live and unchanged. */
    private Block reallocate() {
        Block old = live.removeAny(random);
        long byteSize = byteSize();
        long address;
        try {
            address = allocator.reallocate(old.address(), byteSize);
        } catch (AllocationFailedException e) {
            recordFailure(e);
            old.check("by a failed reallocate(" + byteSize + ")");
            live.add(old);
            return null;
        }
        long kept = Math.min(old.byteSize(), byteSize);
        long mismatch = Contents.firstMismatch(address, kept, old.serial());
        if (mismatch >= 0) {
            fail("byte " + mismatch + " of " + old + " was not carried over by reallocate(" + byteSize + ") = 0x"
                    + Long.toHexString(address));
        }
        if (address == old.address()) {
            Block resized = new Block(address, byteSize, allocator.usableSize(address), serials.incrementAndGet(),
                    old.large());
            Contents.fill(address, byteSize, resized.serial());
            live.add(resized);
            return resized;
        }
        return keep(address, byteSize);
    }

    private Block keep(long address, long byteSize) {
        long usable = allocator.usableSize(address);
        assertTrue(usable >= byteSize, () -> "usableSize(0x" + Long.toHexString(address) + ") = " + usable
                + " for a block of " + byteSize + " bytes");
        Block block = new Block(address, byteSize, usable, serials.incrementAndGet(), usable > maxSmallByteSize);
        Contents.fill(address, byteSize, block.serial());
        live.add(block);
        if (block.large()) {
            live.countLargeAllocation();
        }
        return block;
    }

    /** Checks a block's pattern and frees it: a free must not throw, whatever the platform does. */
    void free(Block block) {
        block.check("before its free");
        allocator.free(block.address());
    }

    private void recordFailure(AllocationFailedException e) {
        failedAllocations++;
        assertTrue(faults.isOn(), () -> "an allocation failed while faults were off: " + e);
        assertEquals(FaultSchedule.ENOMEM, e.errno(), () -> "errno of " + e);
    }
}
