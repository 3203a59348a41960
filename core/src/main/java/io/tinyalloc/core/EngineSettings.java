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
 * @param checks whether {@code free}, {@code reallocate} and {@code usableSize} check that an
 *        address is a live block (double frees, interior pointers, foreign addresses)
 * @param limitByteSize the most memory the allocator may have committed at once, in bytes;
 *        {@link #NO_LIMIT} for none
 * @param leakDetection which live blocks are tracked with their allocation site
 * @param secure hardened mode: guard pages after segments and large blocks, free lists checked
 *        as they are followed, blocks handed out in random order, a canary after each small
 *        block checked at free
 */
public record EngineSettings(
        long segmentByteSize,
        List<Long> pageByteSizes,
        long largeCacheByteCapacity,
        long largeCacheMaxAgeNanos,
        long arenaByteSize,
        int virtualThreadHeaps,
        boolean backgroundPurge,
        String description,
        boolean checks,
        long limitByteSize,
        LeakDetection leakDetection,
        boolean secure) {

    /** The smallest segment size. */
    public static final long MIN_SEGMENT_BYTE_SIZE = 64L << 10;
    /** The largest segment size. */
    public static final long MAX_SEGMENT_BYTE_SIZE = 64L << 20;
    /** The fewest blocks a page holds: a size class needs a page at least this many times its size. */
    public static final int MIN_BLOCKS_PER_PAGE = 8;

    /** Which live blocks are tracked with the stack that allocated them, for {@code Allocator.leaks()}. */
    public enum LeakDetection {
        /** None: leak reports have totals only. */
        OFF,
        /**
         * One in {@link #LEAK_SAMPLE_INTERVAL} allocations that refill a page, and one in
         * {@link #LEAK_SAMPLE_LARGE_MAPPINGS} large allocations that map a region.
         */
        SAMPLED,
        /** Every allocation: each one costs a stack walk, for debugging. */
        ALL
    }

    /**
     * With {@link LeakDetection#SAMPLED}, one allocation in this many of those that take the slow
     * path is tracked. A program that leaks keeps taking the slow path (its pages fill), so its
     * leaks are sampled in proportion to the memory they hold.
     */
    public static final int LEAK_SAMPLE_INTERVAL = 512;

    /**
     * With {@link LeakDetection#SAMPLED}, one in this many large allocations that map a region
     * (rather than take one from the cache) is tracked: a leak keeps the cache from refilling, so
     * it maps; a loop that frees what it allocates hits the cache and is never sampled. A stack
     * walk costs microseconds, a mapping tens.
     */
    public static final int LEAK_SAMPLE_LARGE_MAPPINGS = 16;

    /** {@link #limitByteSize()} when there is no limit. */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    /** Copies {@code pageByteSizes}. */
    public EngineSettings {
        pageByteSizes = List.copyOf(pageByteSizes);
    }

    /** Settings with checks on and no limit, the defaults of {@code tinyalloc.conf}. */
    public EngineSettings(long segmentByteSize, List<Long> pageByteSizes, long largeCacheByteCapacity,
            long largeCacheMaxAgeNanos, long arenaByteSize, int virtualThreadHeaps, boolean backgroundPurge,
            String description) {
        this(segmentByteSize, pageByteSizes, largeCacheByteCapacity, largeCacheMaxAgeNanos, arenaByteSize,
                virtualThreadHeaps, backgroundPurge, description, true, NO_LIMIT, LeakDetection.OFF, false);
    }

    /** These settings with another description. */
    public EngineSettings withDescription(String text) {
        return new EngineSettings(segmentByteSize, pageByteSizes, largeCacheByteCapacity, largeCacheMaxAgeNanos,
                arenaByteSize, virtualThreadHeaps, backgroundPurge, text, checks, limitByteSize, leakDetection, secure);
    }

    /** These settings with checks on or off. */
    public EngineSettings withChecks(boolean on) {
        return new EngineSettings(segmentByteSize, pageByteSizes, largeCacheByteCapacity, largeCacheMaxAgeNanos,
                arenaByteSize, virtualThreadHeaps, backgroundPurge, description, on, limitByteSize, leakDetection, secure);
    }

    /** These settings with hardened mode on or off. */
    public EngineSettings withSecure(boolean on) {
        return new EngineSettings(segmentByteSize, pageByteSizes, largeCacheByteCapacity, largeCacheMaxAgeNanos,
                arenaByteSize, virtualThreadHeaps, backgroundPurge, description, checks, limitByteSize, leakDetection, on);
    }

    /** These settings with another leak detection. */
    public EngineSettings withLeakDetection(LeakDetection detection) {
        return new EngineSettings(segmentByteSize, pageByteSizes, largeCacheByteCapacity, largeCacheMaxAgeNanos,
                arenaByteSize, virtualThreadHeaps, backgroundPurge, description, checks, limitByteSize, detection, secure);
    }

    /** These settings with a limit on committed memory, or {@link #NO_LIMIT}. */
    public EngineSettings withLimit(long byteSize) {
        return new EngineSettings(segmentByteSize, pageByteSizes, largeCacheByteCapacity, largeCacheMaxAgeNanos,
                arenaByteSize, virtualThreadHeaps, backgroundPurge, description, checks, byteSize, leakDetection, secure);
    }
}
