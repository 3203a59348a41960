package io.tinyalloc.core;

import static io.tinyalloc.core.SegmentDescriptor.LARGE_CACHED;
import static io.tinyalloc.core.SegmentDescriptor.LARGE_LIVE;
import static io.tinyalloc.core.SegmentDescriptor.ageNext;
import static io.tinyalloc.core.SegmentDescriptor.agePrev;
import static io.tinyalloc.core.SegmentDescriptor.byteSize;
import static io.tinyalloc.core.SegmentDescriptor.nextSegment;
import static io.tinyalloc.core.SegmentDescriptor.prevSegment;
import static io.tinyalloc.core.SegmentDescriptor.setAgeNext;
import static io.tinyalloc.core.SegmentDescriptor.setAgePrev;
import static io.tinyalloc.core.SegmentDescriptor.setNextSegment;
import static io.tinyalloc.core.SegmentDescriptor.setPrevSegment;

import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PurgePolicy;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Allocations above the largest size class: each is a region mapped on its own, with the
 * engine's header in its first OS page and the block after it. Freed regions are kept in a
 * bounded cache, so that a loop of large allocations does not pay a map and an unmap each time;
 * a cached region is purged after the purge delay and unmapped after its maximum age or when the
 * cache needs room.
 *
 * <p>Regions are aligned as the lookup needs, so {@link PageLookup#segmentOf} finds the header
 * of a block within the first segment size of its region; blocks are placed no further than half
 * a segment from the start, which bounds the alignment a large block can have.
 *
 * <p>Every list is intrusive, in the region headers: the live regions, the cache bins (by size,
 * four per doubling) and the cache's age order. One lock guards them all; it is held for a few
 * pointer updates, and across a system call only to purge or unmap a cached region.
 */
final class LargeBlocks {

    /** Cache bins per doubling of size: a bin holds regions within 1/4 of each other's size. */
    private static final int BINS_PER_DOUBLING_SHIFT = 2;
    private static final int BINS_PER_DOUBLING = 1 << BINS_PER_DOUBLING_SHIFT;
    private static final int BIN_COUNT = Long.SIZE * BINS_PER_DOUBLING;
    /** A cached region serves a request of up to this fraction (1/8) less than its size. */
    private static final int MAX_SLACK_FRACTION = 8;

    private final PlatformMemory platform;
    private final SegmentMap segments;
    private final long magic;
    private final long osPageByteSize;
    private final long regionByteAlignment;
    private final long cacheByteCapacity;
    private final long cacheMaxAgeNanos;
    private final long purgeDelayNanos;
    private final boolean purgeByDecommit;
    private final PurgeCounters purgeCounters;

    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private long liveHead;
    private final long[] binHeads = new long[BIN_COUNT];
    private long oldestCached;
    private long newestCached;
    private long liveBlocks;
    private long liveBytes;
    private long liveRegionBytes;
    private long cachedBytes;
    private long cachedDirtyBytes;
    private long cachedCleanRegions;
    private long hits;
    private long misses;

    LargeBlocks(PlatformMemory platform, SegmentMap segments, long magic, EngineSettings settings,
            long purgeDelayNanos, boolean purgeByDecommit, PurgeCounters purgeCounters) {
        this.platform = platform;
        this.segments = segments;
        this.magic = magic;
        this.osPageByteSize = platform.pageByteSize();
        this.regionByteAlignment = segments.segmentByteAlignment();
        this.cacheByteCapacity = settings.largeCacheByteCapacity();
        this.cacheMaxAgeNanos = settings.largeCacheMaxAgeNanos();
        this.purgeDelayNanos = purgeDelayNanos;
        this.purgeByDecommit = purgeByDecommit;
        this.purgeCounters = purgeCounters;
    }

    /** Returns the offset of the block from the start of its region. */
    private long blockOffset(long byteAlignment) {
        return Math.max(osPageByteSize, byteAlignment);
    }

    /** Returns the size of the region for a block, or -1 if it would not fit in the address space. */
    long regionByteSize(long byteSize, long byteAlignment) {
        long offset = blockOffset(byteAlignment);
        if (byteSize > Long.MAX_VALUE / 2 - offset) {
            return -1;
        }
        return Bits.alignUp(offset + byteSize, osPageByteSize);
    }

    // ------------------------------------------------------------------ allocate and free

    /**
     * Allocates a large block, from the cache if a region fits, else from a new mapping.
     *
     * @throws io.tinyalloc.spi.PlatformMemoryException if the operating system refuses
     */
    long allocate(long byteAlignment, long regionByteSize) {
        long region;
        lock.lock();
        try {
            region = takeCached(regionByteSize);
            if (region != 0) {
                hits++;
                makeLive(region, byteAlignment);
                return SegmentDescriptor.largeBlock(region);
            }
            purgeDirtyRegions();
        } finally {
            lock.unlock();
        }
        region = map(regionByteSize);
        lock.lock();
        try {
            misses++;
            makeLive(region, byteAlignment);
            return SegmentDescriptor.largeBlock(region);
        } finally {
            lock.unlock();
        }
    }

    private long map(long regionByteSize) {
        long region = platform.reserve(regionByteSize, regionByteAlignment);
        try {
            platform.commit(region, regionByteSize);
            SegmentDescriptor.initLarge(region, magic, regionByteSize, 0);
            SegmentDescriptor.setLargeDirty(region, false);
            segments.register(region, regionByteSize);
        } catch (RuntimeException e) {
            platform.release(region, regionByteSize);
            throw e;
        }
        return region;
    }

    private void makeLive(long region, long byteAlignment) {
        long block = region + blockOffset(byteAlignment);
        SegmentDescriptor.setLargeBlock(region, block);
        SegmentDescriptor.setLargeState(region, LARGE_LIVE);
        liveHead = push(liveHead, region);
        long regionByteSize = byteSize(region);
        liveBlocks++;
        liveBytes += region + regionByteSize - block;
        liveRegionBytes += regionByteSize;
    }

    /**
     * Returns whether a region just handed out may hold old data: fresh mappings and regions
     * purged by decommit read as zero.
     */
    boolean mayBeDirty(long region) {
        return SegmentDescriptor.largeDirty(region);
    }

    /** Returns the usable size of a live large block. */
    long usableSize(long region, long block) {
        return region + byteSize(region) - block;
    }

    /** Frees a large block: its region goes to the cache, or back to the OS if it does not fit. */
    void free(long region, long block) {
        free(region, block, false);
    }

    /**
     * Frees a large block whose contents were just copied to another block by a reallocation. The
     * program moved away from this size (a buffer that grows or shrinks rarely comes back to the
     * size it left), so the region is cached already purged rather than left dirty for the purge
     * delay: reusing it then costs page faults, keeping it dirty costs its whole size.
     */
    void freeAfterMove(long region, long block) {
        free(region, block, true);
    }

    private void free(long region, long block, boolean purgeNow) {
        long regionByteSize = byteSize(region);
        lock.lock();
        try {
            if (SegmentDescriptor.largeState(region) != LARGE_LIVE || SegmentDescriptor.largeBlock(region) != block) {
                throw new IllegalArgumentException("0x" + Long.toHexString(block) + " is not a live large block");
            }
            liveHead = unlink(liveHead, region);
            liveBlocks--;
            liveBytes -= region + regionByteSize - block;
            liveRegionBytes -= regionByteSize;
            if (regionByteSize <= cacheByteCapacity) {
                putCached(region, regionByteSize, purgeNow);
                return;
            }
        } finally {
            lock.unlock();
        }
        unmap(region, regionByteSize);
    }

    // ------------------------------------------------------------------ the cache (under lock)

    /** The bin of a size: its power of two and which quarter of the next doubling it falls in. */
    private static int binOf(long byteSize) {
        int log2 = Long.SIZE - 1 - Long.numberOfLeadingZeros(byteSize);
        int quarter = log2 < BINS_PER_DOUBLING_SHIFT ? 0
                : (int) (byteSize >>> (log2 - BINS_PER_DOUBLING_SHIFT)) & (BINS_PER_DOUBLING - 1);
        return log2 * BINS_PER_DOUBLING + quarter;
    }

    /**
     * Takes a cached region of at least {@code regionByteSize} bytes and at most
     * {@link #MAX_SLACK_FRACTION} more: a larger region saves a mapping, but a dirty one keeps
     * its whole size resident under a smaller block, which on real traces (python's) added a
     * tenth to the peak committed bytes when twice the size was allowed.
     */
    private long takeCached(long regionByteSize) {
        long maxByteSize = regionByteSize + regionByteSize / MAX_SLACK_FRACTION;
        int first = binOf(regionByteSize);
        int last = Math.min(BIN_COUNT - 1, binOf(maxByteSize));
        for (int bin = first; bin <= last; bin++) {
            for (long region = binHeads[bin]; region != 0; region = nextSegment(region)) {
                long size = byteSize(region);
                if (size >= regionByteSize && size <= maxByteSize) {
                    removeCached(region);
                    if (!SegmentDescriptor.largeDirty(region)) {
                        platform.commit(region, size);
                        if (!purgeByDecommit) {
                            SegmentDescriptor.setLargeDirty(region, true); // MADV_FREE may have left old contents
                        }
                    }
                    return region;
                }
            }
        }
        return 0;
    }

    private void putCached(long region, long regionByteSize, boolean purgeNow) {
        while (cachedBytes + regionByteSize > cacheByteCapacity) {
            evict(oldestCached);
        }
        SegmentDescriptor.setLargeState(region, LARGE_CACHED);
        SegmentDescriptor.setLargeFreedAt(region, System.nanoTime());
        SegmentDescriptor.setLargeDirty(region, true);
        int bin = binOf(regionByteSize);
        binHeads[bin] = push(binHeads[bin], region);
        appendToAgeList(region);
        cachedBytes += regionByteSize;
        cachedDirtyBytes += regionByteSize;
        if (purgeNow || purgeDelayNanos == 0) {
            purge(region);
        }
    }

    private void removeCached(long region) {
        long regionByteSize = byteSize(region);
        int bin = binOf(regionByteSize);
        binHeads[bin] = unlink(binHeads[bin], region);
        removeFromAgeList(region);
        cachedBytes -= regionByteSize;
        if (SegmentDescriptor.largeDirty(region)) {
            cachedDirtyBytes -= regionByteSize;
        } else {
            cachedCleanRegions--;
        }
    }

    private void evict(long region) {
        removeCached(region);
        unmap(region, byteSize(region));
    }

    /** Gives back the memory of a cached region but its header page, which says what it is. */
    private void purge(long region) {
        long regionByteSize = byteSize(region);
        long purgedByteSize = regionByteSize - osPageByteSize;
        if (purgedByteSize > 0) {
            try {
                if (purgeByDecommit) {
                    platform.decommit(region + osPageByteSize, purgedByteSize);
                } else {
                    platform.reset(region + osPageByteSize, purgedByteSize);
                }
            } catch (io.tinyalloc.spi.PlatformMemoryException e) {
                PurgeFailures.log(e);
                return;
            }
            purgeCounters.record(purgedByteSize);
        }
        SegmentDescriptor.setLargeDirty(region, false);
        cachedDirtyBytes -= regionByteSize;
        cachedCleanRegions++;
    }

    /**
     * On a miss: the cached regions do not fit what the program asks for now, so the dirty ones
     * are purged rather than kept resident for the rest of the purge delay. They stay cached, and
     * mapped, for a request of their size. A loop that hits the cache never comes here.
     */
    private void purgeDirtyRegions() {
        for (long region = oldestCached; region != 0 && cachedDirtyBytes > 0; region = ageNext(region)) {
            if (SegmentDescriptor.largeDirty(region)) {
                purge(region);
            }
        }
    }

    /** Purges cached regions whose purge delay passed and unmaps those older than the maximum age. */
    void maintain(long now) {
        lock.lock();
        try {
            long region = oldestCached;
            while (region != 0) {
                long next = ageNext(region);
                long age = now - SegmentDescriptor.largeFreedAt(region);
                if (age >= cacheMaxAgeNanos) {
                    evict(region);
                } else if (purgeDelayNanos != PurgePolicy.NEVER && age >= purgeDelayNanos) {
                    if (SegmentDescriptor.largeDirty(region)) {
                        purge(region);
                    }
                } else {
                    return;
                }
                region = next;
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ intrusive lists (under lock)

    /** Pushes a region on a list linked through NEXT_SEGMENT/PREV_SEGMENT; returns the new head. */
    private static long push(long head, long region) {
        setPrevSegment(region, 0);
        setNextSegment(region, head);
        if (head != 0) {
            setPrevSegment(head, region);
        }
        return region;
    }

    /** Unlinks a region from a list linked through NEXT_SEGMENT/PREV_SEGMENT; returns the new head. */
    private static long unlink(long head, long region) {
        long prev = prevSegment(region);
        long next = nextSegment(region);
        if (next != 0) {
            setPrevSegment(next, prev);
        }
        if (prev != 0) {
            setNextSegment(prev, next);
            return head;
        }
        return next;
    }

    private void appendToAgeList(long region) {
        setAgeNext(region, 0);
        setAgePrev(region, newestCached);
        if (newestCached != 0) {
            setAgeNext(newestCached, region);
        } else {
            oldestCached = region;
        }
        newestCached = region;
    }

    private void removeFromAgeList(long region) {
        long prev = agePrev(region);
        long next = ageNext(region);
        if (prev != 0) {
            setAgeNext(prev, next);
        } else {
            oldestCached = next;
        }
        if (next != 0) {
            setAgePrev(next, prev);
        } else {
            newestCached = prev;
        }
    }

    private void unmap(long region, long regionByteSize) {
        segments.unregister(region, regionByteSize);
        platform.release(region, regionByteSize);
    }

    // ------------------------------------------------------------------ figures and close

    /**
     * The large side of {@code stats()}, read under the lock at once so that the figures agree.
     *
     * @param liveBlocks live large blocks
     * @param liveBytes their usable bytes
     * @param committedBytes live regions plus cached regions not yet purged (a purged one keeps
     *        only its header page)
     * @param reservedBytes live and cached regions
     * @param cacheHits allocations served from the cache
     * @param cacheMisses allocations that mapped a new region
     */
    record Figures(long liveBlocks, long liveBytes, long committedBytes, long reservedBytes, long cacheHits,
            long cacheMisses) {
    }

    Figures figures() {
        lock.lock();
        try {
            return new Figures(liveBlocks, liveBytes, liveRegionBytes + cachedDirtyBytes
                    + cachedCleanRegions * osPageByteSize, liveRegionBytes + cachedBytes, hits, misses);
        } finally {
            lock.unlock();
        }
    }

    /** Unmaps every region, live or cached. Only for {@code close()}. */
    void releaseAll() {
        lock.lock();
        try {
            while (oldestCached != 0) {
                evict(oldestCached);
            }
            while (liveHead != 0) {
                long region = liveHead;
                liveHead = unlink(liveHead, region);
                unmap(region, byteSize(region));
            }
            liveBlocks = 0;
            liveBytes = 0;
            liveRegionBytes = 0;
        } finally {
            lock.unlock();
        }
    }
}
