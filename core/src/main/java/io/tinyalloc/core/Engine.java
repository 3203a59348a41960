package io.tinyalloc.core;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.SizeClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Entry point of the engine, for the configuration module: checks a geometry and builds allocators. */
public final class Engine {

    static {
        SegmentDescriptor.checkLayout();
        PageDescriptor.checkLayout();
    }

    /** The page selection of engines built without one: the page queue's order. */
    private static final PageSelection FIRST_FIT = () -> PageSelection.Order.QUEUE;
    /** The remote-free delivery of engines built without one: one CAS per block on its page. */
    private static final RemoteFree PER_PAGE = () -> RemoteFree.Delivery.PER_PAGE;

    private Engine() {
    }

    /**
     * Checks that the settings and the strategies fit together: segment, arena and page sizes,
     * and every size class against the pages. Returns one message per problem, each naming the
     * offending value and what was expected. A message about a key of the engine's own starts
     * with that key and a colon ({@code segment-size: 3 MiB (expected: ...)}); a message about
     * the size classes starts with {@code size class} or {@code largest size class}.
     *
     * @param settings the engine settings
     * @param sizeClasses the size-class table
     * @param osPageByteSize the operating system's page size
     * @return the problems found, empty if none
     */
    public static List<String> checkGeometry(EngineSettings settings, SizeClasses sizeClasses, long osPageByteSize) {
        List<String> problems = new ArrayList<>();
        long segment = settings.segmentByteSize();
        if (!Bits.isPowerOfTwo(segment) || segment < EngineSettings.MIN_SEGMENT_BYTE_SIZE
                || segment > EngineSettings.MAX_SEGMENT_BYTE_SIZE) {
            problems.add("segment-size: " + Bits.formatBytes(segment) + " (expected: a power of two between "
                    + Bits.formatBytes(EngineSettings.MIN_SEGMENT_BYTE_SIZE) + " and "
                    + Bits.formatBytes(EngineSettings.MAX_SEGMENT_BYTE_SIZE) + ")");
            return problems;
        }
        List<Long> pageSizes = settings.pageByteSizes();
        if (pageSizes.isEmpty()) {
            problems.add("page-sizes: [] (expected: at least one page size)");
            return problems;
        }
        long previous = 0;
        for (long pageSize : pageSizes) {
            if (!Bits.isPowerOfTwo(pageSize) || pageSize < osPageByteSize || pageSize > segment) {
                problems.add("page-sizes: " + Bits.formatBytes(pageSize) + " (expected: a power of two between the OS page size, "
                        + Bits.formatBytes(osPageByteSize) + ", and the segment size, " + Bits.formatBytes(segment) + ")");
            } else if (pageSize <= previous) {
                problems.add("page-sizes: " + Bits.formatBytes(pageSize) + " after " + Bits.formatBytes(previous)
                        + " (expected: ascending sizes)");
            } else if (headerPages(segment, pageSize, osPageByteSize) >= segment / pageSize) {
                problems.add("page-sizes: " + Bits.formatBytes(pageSize) + " (expected: a size for which the "
                        + Bits.formatBytes(segment) + " segment has room for pages after its header)");
            } else if (settings.secure() && headerPages(segment, pageSize, osPageByteSize) + 1 >= segment / pageSize) {
                problems.add("page-sizes: " + Bits.formatBytes(pageSize) + " (expected, with secure = on: a size for "
                        + "which the " + Bits.formatBytes(segment) + " segment has room for pages after its header"
                        + " and before its guard page, which takes the last page)");
            }
            previous = Math.max(previous, pageSize);
        }
        if (settings.arenaByteSize() < segment || settings.arenaByteSize() % segment != 0) {
            problems.add("arena-size: " + Bits.formatBytes(settings.arenaByteSize())
                    + " (expected: a multiple of the segment size, " + Bits.formatBytes(segment) + ")");
        }
        if (settings.virtualThreadHeaps() < 1) {
            problems.add("virtual-thread-heaps: " + settings.virtualThreadHeaps() + " (expected: 1 or more)");
        }
        if (settings.largeCacheByteCapacity() < 0) {
            problems.add("large.cache-capacity: " + settings.largeCacheByteCapacity() + " (expected: 0 or more)");
        }
        if (settings.largeCacheMaxAgeNanos() <= 0) {
            problems.add("large.cache-max-age: " + settings.largeCacheMaxAgeNanos() + " ns (expected: more than 0)");
        }
        if (problems.isEmpty()) {
            String classProblem = SizeClassTable.problemWith(sizeClasses, pageSizes.stream().mapToLong(Long::longValue).toArray());
            if (classProblem != null) {
                problems.add(classProblem);
            }
        }
        return problems;
    }

    private static void checkRemoteFree(RemoteFree remoteFree) {
        if (Objects.requireNonNull(remoteFree.delivery(), "remoteFree.delivery()") == RemoteFree.Delivery.BATCHED
                && (remoteFree.batchSize() < RemoteFree.MIN_BATCH_SIZE || remoteFree.batchSize() > RemoteFree.MAX_BATCH_SIZE)) {
            throw new IllegalArgumentException("batchSize: " + remoteFree.batchSize() + " of " + remoteFree
                    + " (expected: " + RemoteFree.MIN_BATCH_SIZE + " to " + RemoteFree.MAX_BATCH_SIZE + " blocks)");
        }
    }

    private static long headerPages(long segmentByteSize, long pageByteSize, long osPageByteSize) {
        int pageCount = (int) (segmentByteSize / pageByteSize);
        long header = SegmentDescriptor.headerByteSize(pageCount, osPageByteSize);
        return (header + pageByteSize - 1) / pageByteSize;
    }

    /**
     * Builds an allocator that chooses pages {@linkplain PageSelection.Order#QUEUE first fit}.
     *
     * @param settings the engine settings
     * @param platform the operating system's memory
     * @param sizeClasses the size-class table
     * @param pageLookup the address-to-segment lookup
     * @param purgePolicy when and how empty memory is given back
     * @return a new allocator
     * @throws IllegalArgumentException if {@link #checkGeometry} finds a problem
     * @throws AllocationFailedException if the allocator's own metadata cannot be mapped
     */
    public static Allocator create(EngineSettings settings, PlatformMemory platform, SizeClasses sizeClasses,
            PageLookup pageLookup, PurgePolicy purgePolicy) {
        return create(settings, platform, sizeClasses, pageLookup, purgePolicy, FIRST_FIT);
    }

    /**
     * Builds an allocator that chooses pages as {@code pageSelection} says.
     *
     * @param settings the engine settings
     * @param platform the operating system's memory
     * @param sizeClasses the size-class table
     * @param pageLookup the address-to-segment lookup
     * @param purgePolicy when and how empty memory is given back
     * @param pageSelection which page a size class allocates from when its page runs out
     * @return a new allocator
     * @throws IllegalArgumentException if {@link #checkGeometry} finds a problem
     * @throws NullPointerException if {@code pageSelection} returns no order
     * @throws AllocationFailedException if the allocator's own metadata cannot be mapped
     */
    public static Allocator create(EngineSettings settings, PlatformMemory platform, SizeClasses sizeClasses,
            PageLookup pageLookup, PurgePolicy purgePolicy, PageSelection pageSelection) {
        return create(settings, platform, sizeClasses, pageLookup, purgePolicy, pageSelection, PER_PAGE);
    }

    /**
     * Builds an allocator that chooses pages as {@code pageSelection} says and hands blocks freed
     * by other threads to their heap as {@code remoteFree} says.
     *
     * @param settings the engine settings
     * @param platform the operating system's memory
     * @param sizeClasses the size-class table
     * @param pageLookup the address-to-segment lookup
     * @param purgePolicy when and how empty memory is given back
     * @param pageSelection which page a size class allocates from when its page runs out
     * @param remoteFree how a block freed by another thread than its heap's reaches that heap;
     *        with {@code secure = on}, {@link RemoteFree.Delivery#PER_PAGE} whatever it says
     * @return a new allocator
     * @throws IllegalArgumentException if {@link #checkGeometry} finds a problem, or
     *         {@code remoteFree} batches with a batch size outside
     *         [{@value RemoteFree#MIN_BATCH_SIZE}, {@value RemoteFree#MAX_BATCH_SIZE}]
     * @throws NullPointerException if {@code pageSelection} returns no order or
     *         {@code remoteFree} no delivery
     * @throws AllocationFailedException if the allocator's own metadata cannot be mapped
     */
    public static Allocator create(EngineSettings settings, PlatformMemory platform, SizeClasses sizeClasses,
            PageLookup pageLookup, PurgePolicy purgePolicy, PageSelection pageSelection, RemoteFree remoteFree) {
        Objects.requireNonNull(pageSelection.order(), "pageSelection.order()");
        checkRemoteFree(remoteFree);
        List<String> problems = checkGeometry(settings, sizeClasses, platform.pageByteSize());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        long[] pageSizes = settings.pageByteSizes().stream().mapToLong(Long::longValue).toArray();
        Allocator engine;
        try {
            engine = new EngineAllocator(settings, platform, SizeClassTable.of(sizeClasses, pageSizes, settings.secure()), pageLookup,
                    purgePolicy, pageSelection, remoteFree);
        } catch (PlatformMemoryException e) {
            throw new AllocationFailedException(0, "could not map the allocator's own metadata: " + e.getMessage(),
                    e.errno(), 0, 0, e);
        }
        return settings.leakDetection() == EngineSettings.LeakDetection.ALL ? new LeakTrackingAllocator(engine) : engine;
    }
}
