package io.tinyalloc.config.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tinyalloc.AllocatorStats;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The model of a test's live blocks: each block with the pattern it must hold, and the figures
 * that {@link io.tinyalloc.Allocator#stats()} must report for them. Not thread-safe: each
 * thread keeps its own, merged into one when the threads are done.
 */
final class LiveBlocks {

    /**
     * A live block.
     *
     * @param address its address
     * @param byteSize the size asked for, all filled with the pattern
     * @param usableByteSize what {@code usableSize} said when it was allocated
     * @param serial the serial its pattern is made from
     * @param large whether it is above the largest size class
     */
    record Block(long address, long byteSize, long usableByteSize, long serial, boolean large) {

        /** Fails if the block no longer holds its pattern. */
        void check(String when) {
            long mismatch = Contents.firstMismatch(address, byteSize, serial);
            if (mismatch >= 0) {
                fail("byte " + mismatch + " of live block " + this + " changed " + when);
            }
        }
    }

    private final List<Block> blocks = new ArrayList<>();
    private long usableBytes;
    private long largeBlocks;
    /** Large blocks handed out so far, each of which was a large-cache hit or miss. */
    private long largeAllocations;

    void add(Block block) {
        blocks.add(block);
        usableBytes += block.usableByteSize();
        largeBlocks += block.large() ? 1 : 0;
    }

    /** Records that the allocator handed out a large block, kept or not. */
    void countLargeAllocation() {
        largeAllocations++;
    }

    /** Removes and returns a block chosen at random; there must be one. */
    Block removeAny(SplittableRandom random) {
        int index = random.nextInt(blocks.size());
        Block last = blocks.removeLast();
        Block removed = index == blocks.size() ? last : blocks.set(index, last);
        usableBytes -= removed.usableByteSize();
        largeBlocks -= removed.large() ? 1 : 0;
        return removed;
    }

    /** Removes and returns the block added last; there must be one. */
    Block removeLatest() {
        Block removed = blocks.removeLast();
        usableBytes -= removed.usableByteSize();
        largeBlocks -= removed.large() ? 1 : 0;
        return removed;
    }

    /** Moves every block and count of {@code other} here. */
    void takeAll(LiveBlocks other) {
        other.blocks.forEach(this::add);
        largeAllocations += other.largeAllocations;
        other.blocks.clear();
        other.usableBytes = 0;
        other.largeBlocks = 0;
        other.largeAllocations = 0;
    }

    int size() {
        return blocks.size();
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /**
     * Fails unless the stats agree with this model exactly: live blocks and bytes, large blocks,
     * and the large allocations counted as cache hits or misses since {@code cacheLookupsAtStart}.
     */
    void assertAgreesWith(AllocatorStats stats, long cacheLookupsAtStart, String when) {
        String context = " " + when + ": " + stats;
        assertEquals(blocks.size(), stats.liveBlocks(), "live blocks" + context);
        assertEquals(usableBytes, stats.liveBytes(), "live bytes" + context);
        assertEquals(largeBlocks, stats.largeLiveBlocks(), "large live blocks" + context);
        assertEquals(largeAllocations, stats.largeCacheHits() + stats.largeCacheMisses() - cacheLookupsAtStart,
                "large allocations (cache hits + misses)" + context);
        assertTrue(stats.committedBytes() >= stats.liveBytes(), "committed below live" + context);
        assertTrue(stats.reservedBytes() >= stats.committedBytes(), "reserved below committed" + context);
    }
}
