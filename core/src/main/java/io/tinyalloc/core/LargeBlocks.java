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
import io.tinyalloc.spi.PlatformMemoryException;
import io.tinyalloc.spi.PurgePolicy;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Allocations above the largest size class: each is a region mapped on its own, with the
 * engine's header in its first OS page and the block after it. Freed regions are kept in a
 * bounded cache, so that a loop of large allocations does not pay a map and an unmap each time;
 * a cached region is purged after the purge delay and unmapped after its maximum age or when the
 * cache needs room.
 *
 * <p><b>Purge stages.</b> A cached region is <em>dirty</em> until it is purged. A policy that
 * purges once takes it straight to <em>purged</em>. A two-phase policy first resets it: it is then
 * <em>reset</em>, counted as committed (it stays resident until the system needs the memory) and
 * usable as it is; once the decommit is due it is decommitted, and <em>purged</em>. Resets may
 * happen early (a cache miss, a region freed by a move); decommits happen only in
 * {@link #maintain}, oldest region first, and freed-at stamps strictly increase, so the regions
 * decommitted so far are exactly those stamped up to {@code decommittedThroughNanos}: that is
 * how a clean region tells reset from purged without a field of its own.
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
    /** When a reset region is decommitted, counted from its free; {@link PurgePolicy#NEVER} if it is not. */
    private final long decommitAfterNanos;
    private final boolean purgeByDecommit;
    private final PurgeCounters purgeCounters;
    /** Told when a region is cached dirty, with a purge to come: see {@link EngineAllocator#purgeQueued}. */
    private final Runnable purgeQueued;

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
    /** Cached regions reset and waiting for their decommit (two-phase policies only). */
    private long cachedResetBytes;
    private long cachedCleanRegions;
    /** The freed-at stamp of the last region cached: stamps strictly increase. */
    private long lastFreedAtNanos;
    /** The freed-at stamp of the newest region decommitted by {@link #maintain}: see "Purge stages" above. */
    private long decommittedThroughNanos;
    private long hits;
    private long misses;
    private final MemoryLimit limit;
    /** Hardened mode: an inaccessible OS page at the end of every region, after its block. */
    private final long guardByteSize;
    /** With {@code leak-detection = sampled}: where sampled blocks are tracked; else null. */
    private final LeakSites sampledSites;
    /** Mappings left before the next sampled one; under the lock. */
    private int mappingsUntilSample = EngineSettings.LEAK_SAMPLE_LARGE_MAPPINGS;

    LargeBlocks(PlatformMemory platform, SegmentMap segments, MemoryLimit limit, long magic, EngineSettings settings,
            long purgeDelayNanos, long decommitAfterNanos, boolean purgeByDecommit, PurgeCounters purgeCounters,
            Runnable purgeQueued, LeakSites sampledSites) {
        this.platform = platform;
        this.segments = segments;
        this.limit = limit;
        this.magic = magic;
        this.osPageByteSize = platform.pageByteSize();
        this.regionByteAlignment = segments.segmentByteAlignment();
        this.cacheByteCapacity = settings.largeCacheByteCapacity();
        this.guardByteSize = settings.secure() ? osPageByteSize : 0;
        this.cacheMaxAgeNanos = settings.largeCacheMaxAgeNanos();
        this.purgeDelayNanos = purgeDelayNanos;
        this.decommitAfterNanos = decommitAfterNanos;
        this.purgeByDecommit = purgeByDecommit;
        this.purgeQueued = purgeQueued;
        this.lastFreedAtNanos = System.nanoTime();
        this.decommittedThroughNanos = lastFreedAtNanos;
        this.purgeCounters = purgeCounters;
        this.sampledSites = sampledSites;
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
        return Bits.alignUp(offset + byteSize, osPageByteSize) + guardByteSize;
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
        long block;
        boolean sampled;
        lock.lock();
        try {
            misses++;
            makeLive(region, byteAlignment);
            block = SegmentDescriptor.largeBlock(region);
            sampled = isSampleDue();
        } finally {
            lock.unlock();
        }
        if (sampled) {
            sampledSites.track(block, usableSize(region, block)); // before any thread can free it
        }
        return block;
    }

    /**
     * With {@code leak-detection = sampled}: whether this mapping is one of the sampled ones. Only
     * mappings are sampled, never cache hits. A loop that frees what it allocates is served by
     * the cache and pays nothing; a leak keeps the cache from refilling, so its allocations map,
     * and it is sampled in proportion to the regions it holds. A stack walk is microseconds, a
     * mapping tens (a system call, and a page fault per page touched).
     */
    private boolean isSampleDue() {
        if (sampledSites == null || --mappingsUntilSample > 0) {
            return false;
        }
        mappingsUntilSample = EngineSettings.LEAK_SAMPLE_LARGE_MAPPINGS;
        return true;
    }

    private long map(long regionByteSize) {
        takeFromLimit(regionByteSize);
        long region;
        try {
            region = platform.reserve(regionByteSize, regionByteAlignment);
        } catch (RuntimeException e) {
            limit.give(regionByteSize);
            throw e;
        }
        try {
            platform.commit(region, regionByteSize);
            SegmentDescriptor.initLarge(region, magic, regionByteSize, 0);
            if (guardByteSize != 0) {
                platform.protect(region + regionByteSize - guardByteSize, guardByteSize, PlatformMemory.Protection.NONE);
            }
            SegmentDescriptor.setLargeDirty(region, false);
            segments.register(region, regionByteSize);
        } catch (RuntimeException e) {
            platform.release(region, regionByteSize);
            limit.give(regionByteSize);
            throw e;
        }
        return region;
    }

    /**
     * Counts a new region against the {@link MemoryLimit}, unmapping the whole cache first if that
     * makes the room: cached regions are memory kept in case, the new one is needed now.
     *
     * @throws io.tinyalloc.spi.PlatformMemoryException if the region would pass the limit anyway
     */
    private void takeFromLimit(long regionByteSize) {
        if (limit.tryTake(regionByteSize)) {
            return;
        }
        lock.lock();
        try {
            while (oldestCached != 0) {
                evict(oldestCached);
            }
        } finally {
            lock.unlock();
        }
        limit.take(regionByteSize);
    }

    private void makeLive(long region, long byteAlignment) {
        long block = region + blockOffset(byteAlignment);
        SegmentDescriptor.setLargeBlock(region, block);
        SegmentDescriptor.setLargeState(region, LARGE_LIVE);
        liveHead = push(liveHead, region);
        long regionByteSize = byteSize(region);
        liveBlocks++;
        liveBytes += usableSize(region, block);
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
        return region + byteSize(region) - guardByteSize - block;
    }

    /**
     * Returns whether {@code block} is the live block of {@code region}. Read without the lock: for
     * a block the caller owns the answer is stable; for any other address a racy answer is still
     * a no (or, for the block of another thread, a yes that the free under the lock re-checks).
     */
    boolean isLive(long region, long block) {
        return SegmentDescriptor.largeStateOpaque(region) == LARGE_LIVE && SegmentDescriptor.largeBlockOpaque(region) == block;
    }

    /** Explains why {@link #isLive} said no. */
    String problem(long region, long block) {
        long liveBlock = SegmentDescriptor.largeBlockOpaque(region);
        if (SegmentDescriptor.largeStateOpaque(region) != LARGE_LIVE) {
            return "not a live block: the large block there is already free (a double free)";
        }
        if (block > liveBlock && block < region + byteSize(region)) {
            return "an interior pointer, " + (block - liveBlock) + " bytes into the large block at 0x"
                    + Long.toHexString(liveBlock) + " (expected: the address the block was returned at)";
        }
        return "not a block this allocator returned (the large block of that region is at 0x"
                + Long.toHexString(liveBlock) + ")";
    }

    /** Frees a large block: its region goes to the cache, or back to the OS if it does not fit. */
    void free(long region, long block) {
        free(region, block, false);
    }

    /**
     * Frees a large block whose contents a reallocation just copied to another block. A program
     * that grows a buffer once rarely comes back to the sizes it left, so a region mapped for this
     * block is cached already purged rather than kept resident for the purge delay (one replay of
     * the python trace peaked 5 % higher without this). A region the cache had served before is
     * cached dirty like any other: its size came back, so the program grows its buffers through
     * the same sizes again, and purging made every such reuse fault the region back in page by
     * page (10.5 µs a page on this project's benchmark machines, where the sqlite replay ran 4x
     * slower for it).
     */
    void freeAfterMove(long region, long block) {
        free(region, block, !SegmentDescriptor.largeReused(region));
    }

    private void free(long region, long block, boolean purgeNow) {
        long regionByteSize = byteSize(region);
        lock.lock();
        try {
            if (!isLive(region, block)) {
                throw new IllegalArgumentException("free(0x" + Long.toHexString(block) + "): " + problem(region, block));
            }
            liveHead = unlink(liveHead, region);
            liveBlocks--;
            liveBytes -= usableSize(region, block);
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
                    boolean reset = awaitsDecommit(region);
                    removeCached(region);
                    SegmentDescriptor.setLargeReused(region);
                    if (reset) {
                        SegmentDescriptor.setLargeDirty(region, true); // usable as it is, contents undefined
                    } else if (!SegmentDescriptor.largeDirty(region)) {
                        commitOrUnmap(region, size);
                        if (!purgedRegionsReadZero()) {
                            SegmentDescriptor.setLargeDirty(region, true); // MADV_FREE may have left old contents
                        }
                    }
                    return region;
                }
            }
        }
        return 0;
    }

    /** Commits a region taken out of the cache; if that fails, unmaps it rather than lose it. */
    private void commitOrUnmap(long region, long regionByteSize) {
        try {
            platform.commit(region, regionByteSize);
        } catch (PlatformMemoryException e) {
            unmap(region, regionByteSize);
            throw e;
        }
    }

    private void putCached(long region, long regionByteSize, boolean purgeNow) {
        while (cachedBytes + regionByteSize > cacheByteCapacity) {
            evict(oldestCached);
        }
        SegmentDescriptor.setLargeState(region, LARGE_CACHED);
        SegmentDescriptor.setLargeFreedAt(region, nextFreedAtStamp());
        SegmentDescriptor.setLargeDirty(region, true);
        int bin = binOf(regionByteSize);
        binHeads[bin] = push(binHeads[bin], region);
        appendToAgeList(region);
        cachedBytes += regionByteSize;
        cachedDirtyBytes += regionByteSize;
        if (purgeNow || purgeDelayNanos == 0) {
            purge(region);
        }
        if (purgeDelayNanos != PurgePolicy.NEVER) {
            purgeQueued.run();
        }
    }

    private void removeCached(long region) {
        long regionByteSize = byteSize(region);
        int bin = binOf(regionByteSize);
        binHeads[bin] = unlink(binHeads[bin], region);
        removeFromAgeList(region);
        if (SegmentDescriptor.largeDirty(region)) {
            cachedDirtyBytes -= regionByteSize;
        } else if (awaitsDecommit(region)) {
            cachedResetBytes -= regionByteSize;
        } else {
            cachedCleanRegions--;
        }
        cachedBytes -= regionByteSize;
    }

    private void evict(long region) {
        removeCached(region);
        unmap(region, byteSize(region));
    }

    /** The stamp of a region entering the cache: now, or just after the last stamp if the clock has not moved. */
    private long nextFreedAtStamp() {
        long now = System.nanoTime();
        lastFreedAtNanos = now - lastFreedAtNanos > 0 ? now : lastFreedAtNanos + 1;
        return lastFreedAtNanos;
    }

    /** Returns whether a cached region was reset by a two-phase policy and waits for its decommit. */
    private boolean awaitsDecommit(long region) {
        return decommitAfterNanos != PurgePolicy.NEVER && !SegmentDescriptor.largeDirty(region)
                && SegmentDescriptor.largeFreedAt(region) - decommittedThroughNanos > 0;
    }

    /** Returns whether a region purged for good reads as zero once committed again: it was decommitted. */
    private boolean purgedRegionsReadZero() {
        return purgeByDecommit || decommitAfterNanos != PurgePolicy.NEVER;
    }

    /**
     * Purges a dirty cached region: resets it under a two-phase policy, else purges it for good by
     * the policy's kind. Returns whether it was purged; on a failure, logged once, it stays dirty.
     */
    private boolean purge(long region) {
        if (!giveBack(region, purgeByDecommit)) { // a two-phase policy's kind is RESET
            return false;
        }
        long regionByteSize = byteSize(region);
        SegmentDescriptor.setLargeDirty(region, false);
        cachedDirtyBytes -= regionByteSize;
        if (decommitAfterNanos != PurgePolicy.NEVER) {
            cachedResetBytes += regionByteSize;
        } else {
            cachedCleanRegions++;
        }
        return true;
    }

    /**
     * Decommits a dirty or reset cached region whose decommit is due: the second phase of a
     * two-phase policy, or both phases at once. Only {@link #maintain} calls it, oldest region
     * first. Returns whether it was decommitted.
     */
    private boolean decommit(long region) {
        boolean dirty = SegmentDescriptor.largeDirty(region);
        if (!giveBack(region, true)) {
            return false;
        }
        long regionByteSize = byteSize(region);
        if (dirty) {
            SegmentDescriptor.setLargeDirty(region, false);
            cachedDirtyBytes -= regionByteSize;
        } else {
            cachedResetBytes -= regionByteSize;
        }
        cachedCleanRegions++;
        decommittedThroughNanos = SegmentDescriptor.largeFreedAt(region);
        return true;
    }

    /** Gives back the memory of a cached region but its header page, which says what it is. */
    private boolean giveBack(long region, boolean decommit) {
        long purgedByteSize = byteSize(region) - osPageByteSize;
        if (purgedByteSize <= 0) {
            return true;
        }
        try {
            if (decommit) {
                platform.decommit(region + osPageByteSize, purgedByteSize);
            } else {
                platform.reset(region + osPageByteSize, purgedByteSize);
            }
        } catch (PlatformMemoryException e) {
            purgeCounters.failures.log(e);
            return false;
        }
        purgeCounters.record(purgedByteSize);
        return true;
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

    /**
     * Purges cached regions whose purge delay passed, decommits reset regions whose decommit is
     * due, and unmaps regions older than the maximum age; oldest first, so that the walk stops at
     * the first region with nothing due. Returns whether regions are still cached, which ages them
     * further.
     */
    boolean maintain(long now) {
        lock.lock();
        try {
            long region = oldestCached;
            while (region != 0) {
                long next = ageNext(region);
                // NEVER is Long.MAX_VALUE, which no age reaches: a stage that never comes is never due.
                long age = now - SegmentDescriptor.largeFreedAt(region);
                if (age >= cacheMaxAgeNanos) {
                    evict(region);
                } else if (age >= decommitAfterNanos) {
                    boolean decommitted = !SegmentDescriptor.largeDirty(region) && !awaitsDecommit(region);
                    if (!decommitted && !decommit(region)) {
                        break; // the regions decommitted so far must stay a prefix of the age order
                    }
                } else if (age >= purgeDelayNanos) {
                    if (SegmentDescriptor.largeDirty(region)) {
                        purge(region);
                    }
                } else {
                    break;
                }
                region = next;
            }
            return oldestCached != 0;
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
        try {
            platform.release(region, regionByteSize);
        } catch (PlatformMemoryException e) {
            // Its address space is lost; the free that evicted it did nothing wrong.
            purgeCounters.failures.log(e);
        } finally {
            limit.give(regionByteSize);
        }
    }

    // ------------------------------------------------------------------ figures and close

    /**
     * The large side of {@code stats()}, read under the lock at once so that the figures agree.
     *
     * @param liveBlocks live large blocks
     * @param liveBytes their usable bytes
     * @param committedBytes live regions plus cached regions not yet purged or only reset by a
     *        two-phase policy (a purged one keeps only its header page)
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
                    + cachedResetBytes + cachedCleanRegions * osPageByteSize, liveRegionBytes + cachedBytes, hits, misses);
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
