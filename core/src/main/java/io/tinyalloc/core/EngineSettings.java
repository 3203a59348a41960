package io.tinyalloc.core;

import java.util.List;

/**
 * The engine's own settings, validated by the configuration module before the engine is built.
 *
 * @param segmentByteSize the size of a segment: a power of two, at least
 *        {@link #MIN_SEGMENT_BYTE_SIZE} and at most {@link #MAX_SEGMENT_BYTE_SIZE}
 * @param pageByteSizes the page sizes, ascending powers of two, each at least the OS page size
 *        and at most the segment size; a size class goes to the smallest page that holds
 *        {@link #MIN_BLOCKS_PER_PAGE} of its blocks
 * @param largeCacheByteCapacity how many bytes of freed large regions are kept mapped for
 *        reuse; 0 disables the cache
 * @param largeCacheMaxAgeNanos how long a freed large region stays in the cache, in nanoseconds
 * @param arenaByteSize the size of an arena: the address space reserved at a time, a multiple
 *        of the segment size
 * @param virtualThreadHeaps the number of heaps shared by virtual threads, at least 1
 * @param backgroundPurge whether a daemon thread purges expired memory while the allocator is
 *        idle
 * @param description the strategy combination in one line, returned by {@code describe()}
 */
public record EngineSettings(
        long segmentByteSize,
        List<Long> pageByteSizes,
        long largeCacheByteCapacity,
        long largeCacheMaxAgeNanos,
        long arenaByteSize,
        int virtualThreadHeaps,
        boolean backgroundPurge,
        String description) {

    /** The smallest segment size. */
    public static final long MIN_SEGMENT_BYTE_SIZE = 64L << 10;
    /** The largest segment size. */
    public static final long MAX_SEGMENT_BYTE_SIZE = 64L << 20;
    /** The fewest blocks a page holds: a size class needs a page at least this many times its size. */
    public static final int MIN_BLOCKS_PER_PAGE = 8;

    /** Copies {@code pageByteSizes}. */
    public EngineSettings {
        pageByteSizes = List.copyOf(pageByteSizes);
    }
}
