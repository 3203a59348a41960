package io.tinyalloc.core;

import io.tinyalloc.spi.SizeClasses;
import java.util.Arrays;

/**
 * The engine's size-class lookup, built once from a {@link SizeClasses} strategy.
 *
 * <p>Requests up to {@link #maxSmallByteSize()} are rounded up to a class with one table load:
 * {@code classByGranule[(byteSize + 7) >>> 3]}. Since every class size is a multiple of the
 * 8-byte granule, no class boundary falls between a size and its granule, so the table is exact.
 * Each class is also given the page size it lives in and the stride of its blocks: the smallest
 * configured page that holds at least {@link EngineSettings#MIN_BLOCKS_PER_PAGE} of its blocks
 * and uses at least {@link #MIN_PAGE_UTILIZATION} of its bytes for them, with the cache-line
 * stride of {@link #strideOf} if a page allows it, else without; a class that no page fills
 * that well takes the smallest page that holds enough of its blocks.
 */
final class SizeClassTable {

    static final int GRANULE_SHIFT = 3;
    static final long GRANULE = 1L << GRANULE_SHIFT;
    /** Blocks of this size or more are aligned to it: {@link io.tinyalloc.Allocator#MIN_BYTE_ALIGNMENT}. */
    static final long MIN_ALIGNED_BYTE_SIZE = io.tinyalloc.Allocator.MIN_BYTE_ALIGNMENT;
    /** The cache line of the CPUs tinyalloc runs on (x86-64, AArch64). */
    static final long CACHE_LINE_BYTE_SIZE = 64;
    /**
     * Addresses this far apart fall in the same L1 cache set, and in few L2 sets: blocks laid out
     * at a multiple of it would all compete for the same cache lines.
     */
    static final long CACHE_ALIASING_BYTE_SIZE = 4096;
    /** The fixed point of {@link #strideReciprocals}: exact for every page offset below 2^32 / stride. */
    private static final int RECIPROCAL_SHIFT = 32;
    private static final long STRIDE_MASK = (1L << RECIPROCAL_SHIFT) - 1;
    /** The bytes of the canary written after a block in hardened mode. */
    static final long CANARY_BYTE_SIZE = Long.BYTES;
    private static final long NO_PLACEMENT = -1;
    /** The share of its page a class's blocks should use: less is memory no block can have. */
    static final double MIN_PAGE_UTILIZATION = 0.9;

    private final long[] blockByteSizes;
    private final long[] blockStrides;
    /**
     * Per class, {@code ceil(2^32 / stride)} in the high 32 bits and the stride in the low 32: one
     * load gives {@link #startsBlock} both (strides are below 2^31, see {@link #placementOf}).
     */
    private final long[] strideDivisors;
    private final int[] pageKinds;
    /** Per class, whether its blocks are followed by a canary (hardened mode, where it fits). */
    private final boolean[] canaried;
    private final short[] classByGranule;
    private final long maxSmallByteSize;

    private SizeClassTable(long[] blockByteSizes, long[] blockStrides, int[] pageKinds, boolean canaries) {
        this.blockByteSizes = blockByteSizes;
        this.blockStrides = blockStrides;
        this.strideDivisors = Arrays.stream(blockStrides)
                .map(stride -> ((1L << RECIPROCAL_SHIFT) + stride - 1) / stride << RECIPROCAL_SHIFT | stride)
                .toArray();
        this.pageKinds = pageKinds;
        this.canaried = new boolean[blockByteSizes.length];
        for (int i = 0; i < canaried.length; i++) {
            canaried[i] = canaries && blockStrides[i] - blockByteSizes[i] >= CANARY_BYTE_SIZE;
        }
        this.maxSmallByteSize = blockByteSizes[blockByteSizes.length - 1];
        this.classByGranule = new short[(int) (maxSmallByteSize >>> GRANULE_SHIFT) + 1];
        int sizeClass = 0;
        for (int granule = 0; granule < classByGranule.length; granule++) {
            while (blockByteSizes[sizeClass] < ((long) granule << GRANULE_SHIFT)) {
                sizeClass++;
            }
            classByGranule[granule] = (short) sizeClass;
        }
    }

    /**
     * Builds the table, or throws with a message naming the first class that is not valid.
     *
     * @param pageByteSizes the page sizes, ascending
     * @throws IllegalArgumentException if the classes are not ascending multiples of 8, or a
     *         class does not fit {@link EngineSettings#MIN_BLOCKS_PER_PAGE} blocks in the largest page
     */
    static SizeClassTable of(SizeClasses sizeClasses, long[] pageByteSizes) {
        return of(sizeClasses, pageByteSizes, false);
    }

    /**
     * Builds the table; with {@code canaries}, each class's stride leaves room for a
     * {@link #CANARY_BYTE_SIZE}-byte canary after the block where a page still holds
     * {@link EngineSettings#MIN_BLOCKS_PER_PAGE} blocks with it (hardened mode), or has that room
     * already (the anti-aliasing line). {@link #hasCanary} says which classes have one.
     */
    static SizeClassTable of(SizeClasses sizeClasses, long[] pageByteSizes, boolean canaries) {
        String problem = problemWith(sizeClasses, pageByteSizes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int count = sizeClasses.count();
        long[] sizes = new long[count];
        long[] strides = new long[count];
        int[] kinds = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = sizeClasses.byteSize(i);
            long placement = canaries ? placementOf(sizes[i], canaryPadding(sizes[i]), pageByteSizes) : NO_PLACEMENT;
            if (placement == NO_PLACEMENT) {
                placement = placementOf(sizes[i], 0, pageByteSizes);
            }
            kinds[i] = (int) (placement >>> Integer.SIZE);
            strides[i] = placement & 0xFFFF_FFFFL;
        }
        return new SizeClassTable(sizes, strides, kinds, canaries);
    }

    /** Returns what is wrong with the classes for these pages, or {@code null} if nothing is. */
    static String problemWith(SizeClasses sizeClasses, long[] pageByteSizes) {
        int count = sizeClasses.count();
        if (count < 1 || count > Short.MAX_VALUE) {
            return "size classes: " + count + " classes (expected: 1 to " + Short.MAX_VALUE + ")";
        }
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long size = sizeClasses.byteSize(i);
            long multiple = size < MIN_ALIGNED_BYTE_SIZE ? GRANULE : MIN_ALIGNED_BYTE_SIZE;
            if (size <= previous || size % multiple != 0) {
                return "size class " + i + ": " + size + " bytes (expected: greater than the previous class, "
                        + previous + ", and a multiple of " + multiple + ")";
            }
            previous = size;
        }
        long largestPage = pageByteSizes[pageByteSizes.length - 1];
        long largestFit = largestPage / EngineSettings.MIN_BLOCKS_PER_PAGE;
        if (previous > largestFit) {
            return "largest size class: " + Bits.formatBytes(previous) + " (expected: at most "
                    + Bits.formatBytes(largestFit) + ", so that " + EngineSettings.MIN_BLOCKS_PER_PAGE
                    + " blocks fit in the largest page, " + Bits.formatBytes(largestPage) + ")";
        }
        return null;
    }

    /**
     * Chooses a class's page kind and stride, as the class comment says. Returns them packed:
     * the kind in the high 32 bits, the stride in the low 32 (strides are below 2^31: a class is
     * at most an eighth of a page, pages at most 64 MiB).
     */
    private static long placementOf(long blockByteSize, long paddingByteSize, long[] pageByteSizes) {
        long[] strides = {strideOf(blockByteSize + paddingByteSize), blockByteSize + paddingByteSize};
        for (long stride : strides) {
            for (int kind = 0; kind < pageByteSizes.length; kind++) {
                if (holdsEnough(pageByteSizes[kind], blockByteSize, stride)
                        && utilization(pageByteSizes[kind], blockByteSize, stride) >= MIN_PAGE_UTILIZATION) {
                    return placement(kind, stride);
                }
            }
        }
        for (int kind = 0; kind < pageByteSizes.length; kind++) {
            if (holdsEnough(pageByteSizes[kind], blockByteSize, strides[0])) {
                return placement(kind, strides[0]);
            }
        }
        if (paddingByteSize == 0) {
            throw new AssertionError("checked by problemWith: " + blockByteSize);
        }
        return NO_PLACEMENT;
    }

    /** The room a canary takes after a block: its size, keeping 16-byte blocks 16-byte aligned. */
    private static long canaryPadding(long blockByteSize) {
        return blockByteSize < MIN_ALIGNED_BYTE_SIZE ? CANARY_BYTE_SIZE : MIN_ALIGNED_BYTE_SIZE;
    }

    private static boolean holdsEnough(long pageByteSize, long blockByteSize, long stride) {
        return pageByteSize / stride >= EngineSettings.MIN_BLOCKS_PER_PAGE;
    }

    private static double utilization(long pageByteSize, long blockByteSize, long stride) {
        return (double) PageDescriptor.capacityOf(pageByteSize, stride) * blockByteSize / pageByteSize;
    }

    private static long placement(int kind, long stride) {
        return (long) kind << Integer.SIZE | stride;
    }

    /**
     * Returns the distance between two blocks of a size: the size, plus a cache line when the size
     * is a multiple of {@link #CACHE_ALIASING_BYTE_SIZE}, so that the first lines of successive
     * blocks (where the free list and most headers live) do not all map to the same cache set.
     * The line costs at most 1.6 % of a page, and makes such blocks only line-aligned.
     */
    static long strideOf(long blockByteSize) {
        return blockByteSize % CACHE_ALIASING_BYTE_SIZE == 0 ? blockByteSize + CACHE_LINE_BYTE_SIZE : blockByteSize;
    }

    /** Returns the class of a request of at most {@link #maxSmallByteSize()} bytes (0 included). */
    int classOf(long byteSize) {
        return classByGranule[(int) ((byteSize + GRANULE - 1) >>> GRANULE_SHIFT)];
    }

    long blockByteSize(int sizeClass) {
        return blockByteSizes[sizeClass];
    }

    long blockStride(int sizeClass) {
        return blockStrides[sizeClass];
    }

    /** Returns whether a block of the class starts {@code pageOffset} bytes into its page. */
    boolean isBlockStart(int sizeClass, long pageOffset) {
        return startsBlock(strideDivisors[sizeClass], pageOffset);
    }

    /**
     * Returns the class's stride and its reciprocal in one word, for {@link #startsBlock}: what a
     * page's descriptor keeps, so that a free checks its address without a lookup in this table.
     */
    long strideDivisor(int sizeClass) {
        return strideDivisors[sizeClass];
    }

    /** Returns the stride a {@link #strideDivisor} holds. */
    static long strideIn(long strideDivisor) {
        return strideDivisor & STRIDE_MASK;
    }

    /**
     * Returns whether a block starts {@code pageOffset} bytes into a page of the class whose
     * {@link #strideDivisor} is given, without a division. With
     * {@code r = ceil(2^32 / stride) = (2^32 + e) / stride}, {@code e < stride}, an offset
     * {@code k * stride} gives {@code (k * stride * r) >>> 32 = k + (k * e >>> 32)}, which is
     * {@code k} while offsets stay below 2^32 (pages are at most a segment, 64 MiB); any other
     * offset cannot come back equal after multiplying by the stride.
     */
    static boolean startsBlock(long strideDivisor, long pageOffset) {
        long blockIndex = (pageOffset * (strideDivisor >>> RECIPROCAL_SHIFT)) >>> RECIPROCAL_SHIFT;
        return blockIndex * (strideDivisor & STRIDE_MASK) == pageOffset;
    }

    /** Returns whether blocks of the class carry a canary right after their usable bytes. */
    boolean hasCanary(int sizeClass) {
        return canaried[sizeClass];
    }

    int pageKind(int sizeClass) {
        return pageKinds[sizeClass];
    }

    int count() {
        return blockByteSizes.length;
    }

    long maxSmallByteSize() {
        return maxSmallByteSize;
    }

    /**
     * Returns the smallest class of at least {@code byteSize} bytes whose blocks all start at a
     * multiple of {@code byteAlignment}, or -1 if there is none. Pages start at a multiple of the
     * OS page size, so a class qualifies when its stride is a multiple of the alignment and the
     * alignment is at most the OS page size.
     */
    int alignedClassOf(long byteSize, long byteAlignment, long osPageByteSize) {
        if (byteAlignment > osPageByteSize || byteSize > maxSmallByteSize) {
            return -1;
        }
        for (int sizeClass = classOf(byteSize); sizeClass < blockByteSizes.length; sizeClass++) {
            if (blockStrides[sizeClass] % byteAlignment == 0) {
                return sizeClass;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return Arrays.toString(blockByteSizes);
    }
}
