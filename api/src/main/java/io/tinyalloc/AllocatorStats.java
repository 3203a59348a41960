package io.tinyalloc;

import java.util.List;

/**
 * A snapshot of an allocator's counters, from {@link Allocator#stats()}.
 *
 * @param reservedBytes virtual address space reserved from the operating system, in bytes
 * @param committedBytes memory the allocator has touched or committed and not yet purged or
 *        released, in bytes: what it can make resident
 * @param liveBytes the usable bytes of all live blocks, small and large
 * @param liveBlocks the number of live blocks, small and large
 * @param purges the number of purge operations (madvise or equivalent) done so far
 * @param purgedBytes the bytes given back by those purges
 * @param crossThreadFrees blocks freed by a thread other than the owner of their page
 * @param largeLiveBlocks live large blocks (above the largest size class)
 * @param largeCacheHits large allocations served from the cache of freed large regions
 * @param largeCacheMisses large allocations that had to map a new region
 * @param sizeClasses one entry per size class, in ascending order of block size
 */
public record AllocatorStats(
        long reservedBytes,
        long committedBytes,
        long liveBytes,
        long liveBlocks,
        long purges,
        long purgedBytes,
        long crossThreadFrees,
        long largeLiveBlocks,
        long largeCacheHits,
        long largeCacheMisses,
        List<SizeClassStats> sizeClasses) {

    /** Copies {@code sizeClasses} so that the snapshot cannot change. */
    public AllocatorStats {
        sizeClasses = List.copyOf(sizeClasses);
    }

    /**
     * The counters of one size class.
     *
     * @param blockByteSize the usable size of the blocks of this class, in bytes
     * @param pages the pages currently assigned to this class
     * @param liveBlocks the live blocks of this class
     * @param capacityBlocks the blocks that the pages of this class can hold
     * @param pageByteSize the size of the pages this class takes, in bytes (a geometry figure:
     *        known whether or not the class has a page)
     * @param blocksPerPage how many blocks one page of this class holds
     */
    public record SizeClassStats(long blockByteSize, long pages, long liveBlocks, long capacityBlocks,
            long pageByteSize, long blocksPerPage) {

        /**
         * Returns the share of a page of this class that its blocks can use, between 0 and 1:
         * what the geometry loses to rounding the page into blocks, whatever is live.
         *
         * @return {@code blocksPerPage * blockByteSize / pageByteSize}
         */
        public double pageUtilization() {
            return pageByteSize == 0 ? 0 : (double) blocksPerPage * blockByteSize / pageByteSize;
        }

        /**
         * Returns the share of this class's capacity that is live, between 0 and 1 (0 when
         * the class has no page).
         *
         * @return {@code liveBlocks / capacityBlocks}
         */
        public double utilization() {
            return capacityBlocks == 0 ? 0 : (double) liveBlocks / capacityBlocks;
        }
    }
}
