package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.SizeClasses;
import java.util.ArrayList;
import java.util.List;

/** Entry point of the engine, for the configuration module: checks a geometry and builds allocators. */
public final class Engine {

    static {
        SegmentDescriptor.checkLayout();
        PageDescriptor.checkLayout();
    }

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

    private static long headerPages(long segmentByteSize, long pageByteSize, long osPageByteSize) {
        int pageCount = (int) (segmentByteSize / pageByteSize);
        long header = SegmentDescriptor.headerByteSize(pageCount, osPageByteSize);
        return (header + pageByteSize - 1) / pageByteSize;
    }

    /**
     * Builds an allocator.
     *
     * @param settings the engine settings
     * @param platform the operating system's memory
     * @param sizeClasses the size-class table
     * @param pageLookup the address-to-segment lookup
     * @param purgePolicy when and how empty memory is given back
     * @return a new allocator
     * @throws IllegalArgumentException if {@link #checkGeometry} finds a problem
     */
    public static Allocator create(EngineSettings settings, PlatformMemory platform, SizeClasses sizeClasses,
            PageLookup pageLookup, PurgePolicy purgePolicy) {
        List<String> problems = checkGeometry(settings, sizeClasses, platform.pageByteSize());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        long[] pageSizes = settings.pageByteSizes().stream().mapToLong(Long::longValue).toArray();
        return new EngineAllocator(settings, platform, SizeClassTable.of(sizeClasses, pageSizes), pageLookup,
                purgePolicy);
    }
}
