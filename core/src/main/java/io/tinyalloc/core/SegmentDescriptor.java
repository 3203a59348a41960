package io.tinyalloc.core;

import static io.tinyalloc.core.NativeMemory.getIntPlain;
import static io.tinyalloc.core.NativeMemory.getLongOpaque;
import static io.tinyalloc.core.NativeMemory.getLongPlain;
import static io.tinyalloc.core.NativeMemory.putIntPlain;
import static io.tinyalloc.core.NativeMemory.putLongPlain;
import static io.tinyalloc.core.NativeMemory.putLongRelease;

/**
 * The header at the start of every segment: the off-heap layout, described once.
 *
 * <pre>
 *   offset  size  field
 *        0     8  MAGIC             identifies a segment of this engine
 *        8     4  KIND              {@link #SMALL} (pages of size classes) or {@link #LARGE} (one block)
 *       12     4  PAGE_SHIFT        log2 of the page size (small)
 *       16     8  BYTE_SIZE         bytes of the segment, or of the whole mapping (large)
 *       24     8  OWNER             the owning thread and the page shift, in one word (below)
 *       32     4  HEAP_INDEX        index of the owning heap (small)
 *       36     4  PAGE_COUNT        pages in the segment (small)
 *       40     4  FREE_PAGE_HEAD    first page of the list of free pages, or {@link #NO_PAGE}
 *       44     4  FREE_PAGE_COUNT   pages on that list
 *       48     8  NEXT_SEGMENT      link in the heap's list of segments that have free pages (small),
 *                                   or in the list of live regions or a cache bin (large)
 *       56     8  PREV_SEGMENT      (same list)
 *       64     8  LARGE_BLOCK       address of the block (large)
 *       72     8  LARGE_FREED_AT    when the region entered the large cache, in nanoTime (large)
 *       80     4  IN_FREE_LIST      1 when the segment is on its heap's list of segments with free pages
 *       84     4  LARGE_DIRTY       1 while a cached large region has not been purged (large)
 *       88     8  AGE_NEXT          link in the large cache's list of regions, oldest first (large)
 *       96     8  AGE_PREV          (same list)
 *      104     4  LARGE_STATE       {@link #LARGE_LIVE} or {@link #LARGE_CACHED} (large)
 *      108     4  LARGE_REUSED      1 once the cache served the region again: its size came back (large)
 *      112    16  (reserved)
 *      128     *  page descriptors, {@link PageDescriptor#BYTE_SIZE} bytes each (small)
 * </pre>
 *
 * <p>{@code OWNER} holds what a free needs to know about the segment, so that it reads the
 * header once:
 *
 * <pre>
 *   bits 0..7   a copy of PAGE_SHIFT (0 for a large region)
 *   bits 8..63  id of the thread that owns the segment's heap, or {@link #NO_OWNER}
 * </pre>
 *
 * Thread ids count up from 1 and are never reused; 56 bits outlast any process.
 *
 * <p>All fields but {@code OWNER} are written only by the thread that owns the
 * segment (or holds its heap) and read by others only in {@code stats()} and {@code free()},
 * which read fields that never change while a block of the segment is live.
 */
final class SegmentDescriptor {

    static final long MAGIC_OFFSET = 0;
    static final long KIND_OFFSET = 8;
    static final long PAGE_SHIFT_OFFSET = 12;
    static final long BYTE_SIZE_OFFSET = 16;
    static final long OWNER_OFFSET = 24;
    static final long HEAP_INDEX_OFFSET = 32;
    static final long PAGE_COUNT_OFFSET = 36;
    static final long FREE_PAGE_HEAD_OFFSET = 40;
    static final long FREE_PAGE_COUNT_OFFSET = 44;
    static final long NEXT_SEGMENT_OFFSET = 48;
    static final long PREV_SEGMENT_OFFSET = 56;
    static final long LARGE_BLOCK_OFFSET = 64;
    static final long LARGE_FREED_AT_OFFSET = 72;
    static final long IN_FREE_LIST_OFFSET = 80;
    static final long LARGE_DIRTY_OFFSET = 84;
    static final long AGE_NEXT_OFFSET = 88;
    static final long AGE_PREV_OFFSET = 96;
    static final long LARGE_STATE_OFFSET = 104;
    static final long LARGE_REUSED_OFFSET = 108;
    static final long PAGES_OFFSET = 128;

    /** The header of a segment without its page descriptors. */
    static final long FIXED_BYTE_SIZE = PAGES_OFFSET;

    static final int SMALL = 1;
    static final int LARGE = 2;
    static final long NO_OWNER = -1;
    /** Where the thread id starts in OWNER. */
    private static final int OWNER_THREAD_SHIFT = Byte.SIZE;
    private static final long PAGE_SHIFT_MASK = (1L << OWNER_THREAD_SHIFT) - 1;
    /** A large region whose block is in use. */
    static final int LARGE_LIVE = 1;
    /** A large region in the cache, its block freed. */
    static final int LARGE_CACHED = 2;
    static final int NO_PAGE = -1;

    private SegmentDescriptor() {
    }

    /** Checks that the fields are laid out as documented: aligned, in order, without overlap. */
    static void checkLayout() {
        long[] longFields = {MAGIC_OFFSET, BYTE_SIZE_OFFSET, OWNER_OFFSET, NEXT_SEGMENT_OFFSET,
            PREV_SEGMENT_OFFSET, LARGE_BLOCK_OFFSET, LARGE_FREED_AT_OFFSET, AGE_NEXT_OFFSET, AGE_PREV_OFFSET};
        for (long offset : longFields) {
            check(offset % Long.BYTES == 0, "long field at " + offset + " is not 8-byte aligned");
        }
        check(LARGE_STATE_OFFSET + Integer.BYTES <= LARGE_REUSED_OFFSET, "LARGE_STATE overlaps LARGE_REUSED");
        check(LARGE_REUSED_OFFSET + Integer.BYTES <= PAGES_OFFSET, "fixed fields overlap the page descriptors");
        check(PAGES_OFFSET % PageDescriptor.BYTE_SIZE == 0 || PAGES_OFFSET % Long.BYTES == 0,
                "page descriptors are not aligned");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("segment header layout: " + message);
        }
    }

    /** Returns the header's size for a small segment of {@code pageCount} pages, rounded up to {@code osPageByteSize}. */
    static long headerByteSize(int pageCount, long osPageByteSize) {
        long raw = PAGES_OFFSET + (long) pageCount * PageDescriptor.BYTE_SIZE;
        return Bits.alignUp(raw, osPageByteSize);
    }

    static long pageDescriptor(long segment, int pageIndex) {
        return segment + PAGES_OFFSET + (long) pageIndex * PageDescriptor.BYTE_SIZE;
    }

    /** Returns the descriptor of the page that holds {@code address}, a block of this small segment. */
    static long pageDescriptorOf(long segment, long address) {
        int pageIndex = (int) ((address - segment) >>> pageShift(segment));
        return pageDescriptor(segment, pageIndex);
    }

    static long magic(long segment) {
        return getLongPlain(segment + MAGIC_OFFSET);
    }

    static int kind(long segment) {
        return getIntPlain(segment + KIND_OFFSET);
    }

    static int pageShift(long segment) {
        return getIntPlain(segment + PAGE_SHIFT_OFFSET);
    }

    static long byteSize(long segment) {
        return getLongPlain(segment + BYTE_SIZE_OFFSET);
    }

    /**
     * Read by every {@code free}, racing with a heap being handed to a new thread. Safe: a thread
     * sees its own id only if it wrote it itself (ids are never reused); any other value sends the
     * block down the remote path, which is correct for every owner. The page shift in the same
     * word never changes while a block of the segment is live.
     */
    static long ownerOpaque(long segment) {
        return getLongOpaque(segment + OWNER_OFFSET);
    }

    /** Returns whether an {@link #ownerOpaque} word names the thread {@code threadId}. */
    static boolean isOwnedBy(long owner, long threadId) {
        return owner >> OWNER_THREAD_SHIFT == threadId;
    }

    /** Returns the page shift in an {@link #ownerOpaque} word. */
    static int pageShiftOf(long owner) {
        return (int) (owner & PAGE_SHIFT_MASK);
    }

    /** Returns the descriptor of the page that holds {@code address}, a block of this small segment, given its {@link #ownerOpaque} word. */
    static long pageDescriptorOf(long segment, long address, long owner) {
        int pageIndex = (int) ((address - segment) >>> pageShiftOf(owner));
        return pageDescriptor(segment, pageIndex);
    }

    static void setOwnerThreadIdRelease(long segment, long threadId) {
        putLongRelease(segment + OWNER_OFFSET, threadId << OWNER_THREAD_SHIFT | pageShift(segment));
    }

    static int heapIndex(long segment) {
        return getIntPlain(segment + HEAP_INDEX_OFFSET);
    }

    static int pageCount(long segment) {
        return getIntPlain(segment + PAGE_COUNT_OFFSET);
    }

    static int freePageHead(long segment) {
        return getIntPlain(segment + FREE_PAGE_HEAD_OFFSET);
    }

    static void setFreePageHead(long segment, int pageIndex) {
        putIntPlain(segment + FREE_PAGE_HEAD_OFFSET, pageIndex);
    }

    static int freePageCount(long segment) {
        return getIntPlain(segment + FREE_PAGE_COUNT_OFFSET);
    }

    static void setFreePageCount(long segment, int count) {
        putIntPlain(segment + FREE_PAGE_COUNT_OFFSET, count);
    }

    static long nextSegment(long segment) {
        return getLongPlain(segment + NEXT_SEGMENT_OFFSET);
    }

    static void setNextSegment(long segment, long next) {
        putLongPlain(segment + NEXT_SEGMENT_OFFSET, next);
    }

    static long prevSegment(long segment) {
        return getLongPlain(segment + PREV_SEGMENT_OFFSET);
    }

    static void setPrevSegment(long segment, long prev) {
        putLongPlain(segment + PREV_SEGMENT_OFFSET, prev);
    }

    static boolean inFreeList(long segment) {
        return getIntPlain(segment + IN_FREE_LIST_OFFSET) != 0;
    }

    static void setInFreeList(long segment, boolean inList) {
        putIntPlain(segment + IN_FREE_LIST_OFFSET, inList ? 1 : 0);
    }

    static long largeBlock(long segment) {
        return getLongPlain(segment + LARGE_BLOCK_OFFSET);
    }

    /** Read by the checks of a free without the large lock: see {@code LargeBlocks.isLive}. */
    static long largeBlockOpaque(long segment) {
        return getLongOpaque(segment + LARGE_BLOCK_OFFSET);
    }

    static long largeFreedAt(long segment) {
        return getLongPlain(segment + LARGE_FREED_AT_OFFSET);
    }

    static void setLargeFreedAt(long segment, long nanoTime) {
        putLongPlain(segment + LARGE_FREED_AT_OFFSET, nanoTime);
    }

    /** Writes the header of a new small segment; its pages are initialized by the caller. */
    static void initSmall(long segment, long magic, long byteSize, int pageShift, int pageCount, int heapIndex,
            long ownerThreadId) {
        putLongPlain(segment + MAGIC_OFFSET, magic);
        putIntPlain(segment + KIND_OFFSET, SMALL);
        putIntPlain(segment + PAGE_SHIFT_OFFSET, pageShift);
        putLongPlain(segment + BYTE_SIZE_OFFSET, byteSize);
        putIntPlain(segment + HEAP_INDEX_OFFSET, heapIndex);
        putIntPlain(segment + PAGE_COUNT_OFFSET, pageCount);
        setFreePageHead(segment, NO_PAGE);
        setFreePageCount(segment, 0);
        setNextSegment(segment, 0);
        setPrevSegment(segment, 0);
        setInFreeList(segment, false);
        setOwnerThreadIdRelease(segment, ownerThreadId);
    }

    /** Writes the header of a large region. */
    static void initLarge(long segment, long magic, long byteSize, long block) {
        putLongPlain(segment + MAGIC_OFFSET, magic);
        putIntPlain(segment + KIND_OFFSET, LARGE);
        putIntPlain(segment + PAGE_SHIFT_OFFSET, 0);
        putLongPlain(segment + BYTE_SIZE_OFFSET, byteSize);
        putLongPlain(segment + LARGE_BLOCK_OFFSET, block);
        putLongPlain(segment + LARGE_FREED_AT_OFFSET, 0);
        putIntPlain(segment + LARGE_REUSED_OFFSET, 0);
        setOwnerThreadIdRelease(segment, NO_OWNER);
    }

    static boolean largeReused(long segment) {
        return getIntPlain(segment + LARGE_REUSED_OFFSET) != 0;
    }

    static void setLargeReused(long segment) {
        putIntPlain(segment + LARGE_REUSED_OFFSET, 1);
    }

    static boolean largeDirty(long segment) {
        return getIntPlain(segment + LARGE_DIRTY_OFFSET) != 0;
    }

    static void setLargeDirty(long segment, boolean dirty) {
        putIntPlain(segment + LARGE_DIRTY_OFFSET, dirty ? 1 : 0);
    }

    static long ageNext(long segment) {
        return getLongPlain(segment + AGE_NEXT_OFFSET);
    }

    static void setAgeNext(long segment, long next) {
        putLongPlain(segment + AGE_NEXT_OFFSET, next);
    }

    static long agePrev(long segment) {
        return getLongPlain(segment + AGE_PREV_OFFSET);
    }

    static void setAgePrev(long segment, long prev) {
        putLongPlain(segment + AGE_PREV_OFFSET, prev);
    }

    static int largeState(long segment) {
        return getIntPlain(segment + LARGE_STATE_OFFSET);
    }

    /** See {@link #largeBlockOpaque}. */
    static int largeStateOpaque(long segment) {
        return NativeMemory.getIntOpaque(segment + LARGE_STATE_OFFSET);
    }

    static void setLargeState(long segment, int state) {
        putIntPlain(segment + LARGE_STATE_OFFSET, state);
    }

    static void setLargeBlock(long segment, long block) {
        putLongPlain(segment + LARGE_BLOCK_OFFSET, block);
    }
}
