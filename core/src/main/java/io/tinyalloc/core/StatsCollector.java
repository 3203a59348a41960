package io.tinyalloc.core;

import io.tinyalloc.AllocatorStats;
import io.tinyalloc.AllocatorStats.SizeClassStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds an {@link AllocatorStats} snapshot by walking the page descriptors of every segment.
 * It reads fields that owners write without synchronization, with opaque reads: figures are
 * exact when no thread is allocating or freeing, and close otherwise.
 */
final class StatsCollector {

    private final EngineAllocator engine;
    private final SizeClassTable table;
    private final long reservedBytes;
    private final long[] pages;
    private final long[] liveBlocks;
    private final long[] capacityBlocks;
    private long committedBytes;

    StatsCollector(EngineAllocator engine, SizeClassTable table, long reservedBytes) {
        this.engine = engine;
        this.table = table;
        this.reservedBytes = reservedBytes;
        this.pages = new long[table.count()];
        this.liveBlocks = new long[table.count()];
        this.capacityBlocks = new long[table.count()];
    }

    AllocatorStats collect(Set<Long> segments, LargeBlocks.Figures large, long crossThreadFrees, PurgeCounters purges) {
        for (long segment : segments) {
            addSegment(segment);
        }
        long smallLiveBytes = 0;
        long smallLiveBlocks = 0;
        List<SizeClassStats> classes = new ArrayList<>(table.count());
        for (int sizeClass = 0; sizeClass < table.count(); sizeClass++) {
            long blockByteSize = table.blockByteSize(sizeClass);
            smallLiveBytes += liveBlocks[sizeClass] * blockByteSize;
            smallLiveBlocks += liveBlocks[sizeClass];
            long pageByteSize = 1L << engine.pageShifts[table.pageKind(sizeClass)];
            long blocksPerPage = PageDescriptor.capacityOf(pageByteSize, table.blockStride(sizeClass));
            classes.add(new SizeClassStats(blockByteSize, pages[sizeClass], liveBlocks[sizeClass],
                    capacityBlocks[sizeClass], pageByteSize, blocksPerPage));
        }
        return new AllocatorStats(reservedBytes + large.reservedBytes(), committedBytes + large.committedBytes(),
                smallLiveBytes + large.liveBytes(), smallLiveBlocks + large.liveBlocks(), purges.purges(),
                purges.purgedBytes(), crossThreadFrees, large.liveBlocks(), large.cacheHits(), large.cacheMisses(),
                classes);
    }

    private void addSegment(long segment) {
        committedBytes += segmentCommittedBytes(engine, segment);
        int pageCount = SegmentDescriptor.pageCount(segment);
        for (int pageIndex = 0; pageIndex < pageCount; pageIndex++) {
            long page = SegmentDescriptor.pageDescriptor(segment, pageIndex);
            int state = PageDescriptor.stateOpaque(page);
            int sizeClass = PageDescriptor.sizeClassOpaque(page);
            if ((state == PageDescriptor.ACTIVE || state == PageDescriptor.FULL)
                    && sizeClass >= 0 && sizeClass < pages.length) {
                pages[sizeClass]++;
                liveBlocks[sizeClass] += PageDescriptor.usedOpaque(page) - PageDescriptor.pendingRemoteOpaque(page);
                capacityBlocks[sizeClass] += PageDescriptor.capacity(page);
            }
        }
    }

    private static long pageCommittedBytes(EngineAllocator engine, long page) {
        return engine.dirtyByteSize(page, PageDescriptor.dirtyEndOpaque(page));
    }

    /** The committed bytes of the small segments alone, for error messages. */
    static long smallCommittedBytes(EngineAllocator engine, Set<Long> segments) {
        long total = 0;
        for (long segment : segments) {
            total += segmentCommittedBytes(engine, segment);
        }
        return total;
    }

    /** A segment's header plus, for each page, what was touched since it was last purged. */
    private static long segmentCommittedBytes(EngineAllocator engine, long segment) {
        int pageCount = SegmentDescriptor.pageCount(segment);
        long total = SegmentDescriptor.headerByteSize(pageCount, engine.osPageByteSize);
        for (int pageIndex = 0; pageIndex < pageCount; pageIndex++) {
            total += pageCommittedBytes(engine, SegmentDescriptor.pageDescriptor(segment, pageIndex));
        }
        return total;
    }
}
