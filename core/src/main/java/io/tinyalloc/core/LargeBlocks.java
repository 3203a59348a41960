package io.tinyalloc.core;

import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PlatformMemory;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
 */
final class LargeBlocks {

    /**
     * A cached region is reused for a request of at least half its size. Taking a larger region
     * than needed costs no memory (what it touched is committed either way) and saves a mapping;
     * the bound keeps a big region from going to a request much smaller than it.
     */
    private static final int REUSE_SLACK_SHIFT = 0;

    private final PlatformMemory platform;
    private final PageLookup lookup;
    private final long magic;
    private final long osPageByteSize;
    private final long regionByteAlignment;
    private final long cacheByteCapacity;
    private final long cacheMaxAgeNanos;
    private final long purgeDelayNanos;
    private final boolean purgeByDecommit;

    /** Live regions, for stats and close. */
    private final Map<Long, Boolean> live = new ConcurrentHashMap<>();
    /** Cached regions by size; guarded by {@code this}. */
    private final TreeMap<Long, ArrayDeque<Long>> cacheBySize = new TreeMap<>();
    /** Cached regions, oldest first; guarded by {@code this}. */
    private final LinkedHashSet<Long> cacheByAge = new LinkedHashSet<>();
    private long cachedBytes;
    private long cachedDirtyBytes;

    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong liveRegionBytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final PurgeCounters purgeCounters;

    LargeBlocks(PlatformMemory platform, PageLookup lookup, long magic, long segmentByteSize,
            EngineSettings settings, long purgeDelayNanos, boolean purgeByDecommit, PurgeCounters purgeCounters) {
        this.platform = platform;
        this.lookup = lookup;
        this.magic = magic;
        this.osPageByteSize = platform.pageByteSize();
        this.regionByteAlignment = Math.max(lookup.segmentByteAlignment(segmentByteSize), osPageByteSize);
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

    /**
     * Returns the size of the region for a block, or -1 if it would not fit in the address space.
     */
    long regionByteSize(long byteSize, long byteAlignment) {
        long offset = blockOffset(byteAlignment);
        if (byteSize > Long.MAX_VALUE / 2 - offset) {
            return -1;
        }
        return Bits.alignUp(offset + byteSize, osPageByteSize);
    }

    /**
     * Allocates a large block.
     *
     * @throws io.tinyalloc.spi.PlatformMemoryException if the operating system refuses
     */
    long allocate(long byteSize, long byteAlignment, long regionByteSize) {
        long region = takeCached(regionByteSize);
        if (region == 0) {
            misses.increment();
            region = map(regionByteSize);
            setDirty(region, false);
        } else {
            hits.increment();
            if (!purgeByDecommit) {
                setDirty(region, true); // MADV_FREE may have left the old contents in place
            }
        }
        long block = region + blockOffset(byteAlignment);
        SegmentDescriptor.setLargeBlock(region, block);
        live.put(region, Boolean.TRUE);
        liveBytes.addAndGet(region + SegmentDescriptor.byteSize(region) - block);
        liveRegionBytes.addAndGet(SegmentDescriptor.byteSize(region));
        return block;
    }

    private long map(long regionByteSize) {
        long region = platform.reserve(regionByteSize, regionByteAlignment);
        try {
            platform.commit(region, regionByteSize);
        } catch (RuntimeException e) {
            platform.release(region, regionByteSize);
            throw e;
        }
        SegmentDescriptor.initLarge(region, magic, regionByteSize, 0);
        lookup.register(region, regionByteSize);
        return region;
    }

    /**
     * Returns whether a region just handed out may hold old data: fresh mappings and purged
     * regions read as zero.
     */
    boolean mayBeDirty(long region) {
        return isDirty(region);
    }

    /** Returns the usable size of a live large block. */
    long usableSize(long region, long block) {
        return region + SegmentDescriptor.byteSize(region) - block;
    }

    /** Frees a large block: its region goes to the cache, or back to the OS if it does not fit. */
    void free(long region, long block) {
        free(region, block, false);
    }

    /**
     * Frees a large block whose contents were just copied to a bigger one by a reallocation. A
     * block that grows is unlikely to be followed by a request of its old size, so its region is
     * cached already purged rather than left dirty for the purge delay.
     */
    void freeAfterGrowth(long region, long block) {
        free(region, block, true);
    }

    private void free(long region, long block, boolean purgeNow) {
        if (live.remove(region) == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(block) + " is not a live large block");
        }
        long regionByteSize = SegmentDescriptor.byteSize(region);
        liveBytes.addAndGet(-(region + regionByteSize - block));
        liveRegionBytes.addAndGet(-regionByteSize);
        if (!putCached(region, regionByteSize, purgeNow)) {
            unmap(region, regionByteSize);
        }
    }

    private synchronized long takeCached(long regionByteSize) {
        Map.Entry<Long, ArrayDeque<Long>> entry = cacheBySize.ceilingEntry(regionByteSize);
        if (entry == null || entry.getKey() - regionByteSize > (regionByteSize >>> REUSE_SLACK_SHIFT)) {
            return 0;
        }
        long region = entry.getValue().pollLast();
        if (entry.getValue().isEmpty()) {
            cacheBySize.remove(entry.getKey());
        }
        cacheByAge.remove(region);
        cachedBytes -= entry.getKey();
        if (isDirty(region)) {
            cachedDirtyBytes -= entry.getKey();
        } else {
            platform.commit(region, entry.getKey());
        }
        return region;
    }

    private synchronized boolean putCached(long region, long regionByteSize, boolean purgeNow) {
        if (regionByteSize > cacheByteCapacity) {
            return false;
        }
        while (cachedBytes + regionByteSize > cacheByteCapacity) {
            evict(cacheByAge.iterator().next());
        }
        SegmentDescriptor.setLargeFreedAt(region, System.nanoTime());
        setDirty(region, true);
        cacheBySize.computeIfAbsent(regionByteSize, size -> new ArrayDeque<>()).addLast(region);
        cacheByAge.add(region);
        cachedBytes += regionByteSize;
        cachedDirtyBytes += regionByteSize;
        if (purgeNow || purgeDelayNanos == 0) {
            purge(region, regionByteSize);
        }
        return true;
    }

    /**
     * Purges cached regions whose purge delay passed and unmaps those older than the maximum age.
     */
    synchronized void maintain(long now) {
        Iterator<Long> oldestFirst = cacheByAge.iterator();
        while (oldestFirst.hasNext()) {
            long region = oldestFirst.next();
            long age = now - SegmentDescriptor.largeFreedAt(region);
            if (age >= cacheMaxAgeNanos) {
                oldestFirst.remove();
                removeFromSizeIndex(region);
                unmapCached(region);
            } else if (age >= purgeDelayNanos && purgeDelayNanos != io.tinyalloc.spi.PurgePolicy.NEVER) {
                if (isDirty(region)) {
                    purge(region, SegmentDescriptor.byteSize(region));
                }
            } else {
                return;
            }
        }
    }

    private void evict(long region) {
        cacheByAge.remove(region);
        removeFromSizeIndex(region);
        unmapCached(region);
    }

    private void removeFromSizeIndex(long region) {
        long regionByteSize = SegmentDescriptor.byteSize(region);
        ArrayDeque<Long> regions = cacheBySize.get(regionByteSize);
        regions.remove(region);
        if (regions.isEmpty()) {
            cacheBySize.remove(regionByteSize);
        }
    }

    private void unmapCached(long region) {
        long regionByteSize = SegmentDescriptor.byteSize(region);
        cachedBytes -= regionByteSize;
        if (isDirty(region)) {
            cachedDirtyBytes -= regionByteSize;
        }
        unmap(region, regionByteSize);
    }

    /** Gives back the memory of a cached region but its header page, which says what it is. */
    private void purge(long region, long regionByteSize) {
        long purgedByteSize = regionByteSize - osPageByteSize;
        if (purgedByteSize > 0) {
            if (purgeByDecommit) {
                platform.decommit(region + osPageByteSize, purgedByteSize);
            } else {
                platform.reset(region + osPageByteSize, purgedByteSize);
            }
            purgeCounters.record(purgedByteSize);
        }
        setDirty(region, false);
        cachedDirtyBytes -= regionByteSize;
    }

    private boolean isDirty(long region) {
        return SegmentDescriptor.largeDirty(region);
    }

    private void setDirty(long region, boolean dirty) {
        SegmentDescriptor.setLargeDirty(region, dirty);
    }

    private void unmap(long region, long regionByteSize) {
        lookup.unregister(region, regionByteSize);
        platform.release(region, regionByteSize);
    }

    long liveBytes() {
        return liveBytes.get();
    }

    long liveBlocks() {
        return live.size();
    }

    long cacheHits() {
        return hits.sum();
    }

    long cacheMisses() {
        return misses.sum();
    }

    /** Live regions plus cached regions not yet purged (a purged one keeps only its header page). */
    synchronized long committedBytes() {
        long cachedClean = cachedBytes - cachedDirtyBytes;
        long cachedCleanHeaders = cachedClean == 0 ? 0 : countClean() * osPageByteSize;
        return liveRegionBytes.get() + cachedDirtyBytes + cachedCleanHeaders;
    }

    private long countClean() {
        long clean = 0;
        for (long region : cacheByAge) {
            if (!isDirty(region)) {
                clean++;
            }
        }
        return clean;
    }

    synchronized long reservedBytes() {
        return liveRegionBytes.get() + cachedBytes;
    }

    /** Unmaps every region, live or cached. Only for {@code close()}. */
    synchronized void releaseAll() {
        for (long region : cacheByAge) {
            unmap(region, SegmentDescriptor.byteSize(region));
        }
        cacheByAge.clear();
        cacheBySize.clear();
        cachedBytes = 0;
        cachedDirtyBytes = 0;
        for (long region : live.keySet()) {
            unmap(region, SegmentDescriptor.byteSize(region));
        }
        live.clear();
        liveBytes.set(0);
        liveRegionBytes.set(0);
    }
}
