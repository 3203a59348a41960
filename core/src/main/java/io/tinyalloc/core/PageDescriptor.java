package io.tinyalloc.core;

import static io.tinyalloc.core.NativeMemory.casLong;
import static io.tinyalloc.core.NativeMemory.getAndAddInt;
import static io.tinyalloc.core.NativeMemory.getAndSetLong;
import static io.tinyalloc.core.NativeMemory.getIntOpaque;
import static io.tinyalloc.core.NativeMemory.getIntPlain;
import static io.tinyalloc.core.NativeMemory.getLongOpaque;
import static io.tinyalloc.core.NativeMemory.getLongPlain;
import static io.tinyalloc.core.NativeMemory.getLongVolatile;
import static io.tinyalloc.core.NativeMemory.putIntPlain;
import static io.tinyalloc.core.NativeMemory.putLongPlain;

/**
 * The descriptor of one page, inside its segment's header: the off-heap layout, described once.
 * A page is identified by the address of its descriptor.
 *
 * <pre>
 *   offset  size  field             written by
 *        0     8  LOCAL_FREE        owner   the local free list and the used count, in one word (below)
 *        8     4  CAPACITY          owner   blocks the page holds
 *       12     4  SIZE_CLASS        owner   class index, or {@link #NO_CLASS} when the page is free
 *       16     8  STRIDE_DIVISOR    owner   the class's {@link SizeClassTable#strideDivisor}: its stride, and a reciprocal
 *       24     8  EXTEND            owner   first block not yet carved into the free list, and a flag (below)
 *       32     8  EXTEND_END        owner   end of the last whole block
 *       40     8  QUEUE_NEXT        owner   link in the heap's queue of its class
 *       48     8  QUEUE_PREV        owner   (same queue)
 *       56     4  STATE             owner   {@link #FREE}, {@link #ACTIVE}, {@link #FULL} or {@link #HEADER}
 *       60     4  NEXT_FREE_PAGE    owner   link in the segment's list of free pages (page index)
 *       64     8  THREAD_FREE       any     blocks freed by other threads (CAS), low bit {@link #NOTIFY}
 *       72     4  PENDING_REMOTE    any     blocks on THREAD_FREE not yet collected (atomic add)
 *       76     4  NOTIFY_QUEUED     any     1 while the page is on its heap's notified stack (CAS)
 *       80     8  NOTIFY_NEXT       any     link in the heap's stack of pages that got remote frees while full
 *       88     8  DIRTY_END         owner   end of the memory touched since the page was last purged
 *       96     8  LIST_NEXT         owner   link in the heap's purge list or retired list (see LIST)
 *      104     8  LIST_PREV         owner   (same list)
 *      112     8  FREED_AT          owner   when the page became empty, in {@link System#nanoTime()}
 *      120     4  LIST              owner   {@link #ON_NO_LIST}, {@link #ON_PURGE_LIST} or {@link #ON_RETIRED_LIST}
 *      124     4  PREV_FREE_PAGE    owner   (same list)
 * </pre>
 *
 * <p>{@code LOCAL_FREE} packs the two fields that every allocation and every owner's free
 * update, so that each of those fast paths reads and writes the descriptor once:
 *
 * <pre>
 *   bits  0..47  head of the local free list, 0 when empty (each block's first word links the next)
 *   bits 48..63  USED: blocks handed out and not yet back on the local free list
 * </pre>
 *
 * {@code EXTEND} holds the carving point in bits 0..47 and, in bit 63, {@code SAMPLED}: leak
 * detection tracks a block of the page, so a free of one of its blocks must look the block up
 * ({@link LeakSites}); the owner sets it, and clears it when it sees the page's last tracked block go. The checks of a free
 * ({@link #pushBlockCheckedPlain}) read it with {@code LOCAL_FREE} and {@code STRIDE_DIVISOR}, the
 * stride in a form that tells a block's start from an interior pointer without a division, and
 * without a lookup in the class table: each of those costs the free path instructions.
 *
 * <p>Block addresses fit in the low {@value SegmentMap#ADDRESS_BITS} bits (the engine maps nothing
 * above), and a page holds at most {@link #MAX_CAPACITY} blocks, so neither field spills into the
 * other.
 *
 * <p>A free block's first word links the next free block of its list (0 ends a list), stored
 * encoded: xor-ed with the page's descriptor address and the engine's random link key
 * ({@link #encodeLink}). A live block's first word is user data, and the allocation that hands a
 * block out clears it; so a block whose first word decodes to a link into its own page is almost
 * certainly free, which is how a double free is spotted without a bitmap (see
 * {@link BlockChecks}).
 *
 * <p>The owner's hot fields share the first cache line; the fields that other threads write
 * start on the second, so remote frees do not slow down the owner's fast path.
 */
final class PageDescriptor {

    static final long LOCAL_FREE_OFFSET = 0;
    static final long CAPACITY_OFFSET = 8;
    static final long SIZE_CLASS_OFFSET = 12;
    static final long STRIDE_DIVISOR_OFFSET = 16;
    static final long EXTEND_NEXT_OFFSET = 24;
    static final long EXTEND_END_OFFSET = 32;
    static final long QUEUE_NEXT_OFFSET = 40;
    static final long QUEUE_PREV_OFFSET = 48;
    static final long STATE_OFFSET = 56;
    static final long NEXT_FREE_PAGE_OFFSET = 60;
    static final long THREAD_FREE_OFFSET = 64;
    static final long PENDING_REMOTE_OFFSET = 72;
    static final long NOTIFY_QUEUED_OFFSET = 76;
    static final long NOTIFY_NEXT_OFFSET = 80;
    static final long DIRTY_END_OFFSET = 88;
    static final long LIST_NEXT_OFFSET = 96;
    static final long LIST_PREV_OFFSET = 104;
    static final long FREED_AT_OFFSET = 112;
    static final long LIST_OFFSET = 120;
    static final long PREV_FREE_PAGE_OFFSET = 124;

    /** Bytes per descriptor: two cache lines. */
    static final long BYTE_SIZE = 128;

    static final int NO_CLASS = -1;

    /** Where USED starts in LOCAL_FREE: above every block address. */
    private static final int USED_SHIFT = SegmentMap.ADDRESS_BITS;
    /** The free-list head's bits of LOCAL_FREE, and the bits of a decoded link that can be an address. */
    static final long ADDRESS_MASK = (1L << USED_SHIFT) - 1;
    private static final long HEAD_MASK = ADDRESS_MASK;
    /** One more block in use, added to LOCAL_FREE. */
    private static final long ONE_USED = 1L << USED_SHIFT;
    /** The most blocks a page holds: what USED can count. A page with more room leaves the rest unused. */
    static final int MAX_CAPACITY = (1 << (Long.SIZE - USED_SHIFT)) - 1;

    /** On no list of the heap. */
    static final int ON_NO_LIST = 0;
    /** Free, waiting on the heap's purge list for its delay to pass. */
    static final int ON_PURGE_LIST = 1;
    /** Assigned and empty, kept for its class a while on the heap's retired list. */
    static final int ON_RETIRED_LIST = 2;

    /** Not assigned to a size class: on its segment's list of free pages. */
    static final int FREE = 0;
    /** Assigned to a size class and on the heap's queue for that class. */
    static final int ACTIVE = 1;
    /** Assigned, no free block left, off the queue; remote frees will notify the heap. */
    static final int FULL = 2;
    /** Covered by the segment's header: never used for blocks. */
    static final int HEADER = 3;

    /**
     * Low bit of THREAD_FREE: the owner wants to hear about the next remote free (the page is
     * full, or its heap is abandoned). Blocks are at least 8-byte aligned, so the bit is free.
     */
    static final long NOTIFY = 1;

    private PageDescriptor() {
    }

    /** Checks that the fields are laid out as documented: aligned, in order, within the descriptor. */
    static void checkLayout() {
        long[] longFields = {LOCAL_FREE_OFFSET, STRIDE_DIVISOR_OFFSET, EXTEND_NEXT_OFFSET, EXTEND_END_OFFSET, QUEUE_NEXT_OFFSET,
            QUEUE_PREV_OFFSET, THREAD_FREE_OFFSET, NOTIFY_NEXT_OFFSET, DIRTY_END_OFFSET, LIST_NEXT_OFFSET,
            LIST_PREV_OFFSET, FREED_AT_OFFSET};
        for (long offset : longFields) {
            if (offset % Long.BYTES != 0 || offset + Long.BYTES > BYTE_SIZE) {
                throw new IllegalStateException("page descriptor layout: long field at " + offset);
            }
        }
        if (THREAD_FREE_OFFSET < 64) {
            throw new IllegalStateException("page descriptor layout: THREAD_FREE shares the owner's cache line");
        }
    }

    // ---- owner-only fields: plain accesses, the owning thread is the only writer and reader ----

    static long freeListPlain(long page) {
        return getLongPlain(page + LOCAL_FREE_OFFSET) & HEAD_MASK;
    }

    /** Read by a remote free's checks: see {@link BlockChecks}. */
    static long freeListOpaque(long page) {
        return getLongOpaque(page + LOCAL_FREE_OFFSET) & HEAD_MASK;
    }

    static void setFreeListPlain(long page, long block) {
        long localFree = getLongPlain(page + LOCAL_FREE_OFFSET);
        putLongPlain(page + LOCAL_FREE_OFFSET, (localFree & ~HEAD_MASK) | block);
    }

    static int usedPlain(long page) {
        return (int) (getLongPlain(page + LOCAL_FREE_OFFSET) >>> USED_SHIFT);
    }

    static void setUsedPlain(long page, int used) {
        long localFree = getLongPlain(page + LOCAL_FREE_OFFSET);
        putLongPlain(page + LOCAL_FREE_OFFSET, (localFree & HEAD_MASK) | ((long) used << USED_SHIFT));
    }

    /**
     * Pops a block off the local free list, or returns 0 if it is empty: the allocation fast path.
     * Owner only. The link read from the block is masked, so that a block overwritten after its
     * free cannot change the used count; the block's first word is cleared, so that a live block
     * never looks free to {@link BlockChecks}.
     */
    static long popBlockPlain(long page, long linkKey) {
        long localFree = getLongPlain(page + LOCAL_FREE_OFFSET);
        long block = localFree & HEAD_MASK;
        if (block != 0) {
            long next = decodeLink(page, getLongPlain(block), linkKey) & HEAD_MASK;
            putLongPlain(block, 0);
            putLongPlain(page + LOCAL_FREE_OFFSET, ((localFree & ~HEAD_MASK) + ONE_USED) | next);
        }
        return block;
    }

    /**
     * Pushes a block on the local free list: the free fast path. Owner only.
     *
     * @return whether the owner must look at the page: it is now empty, or its free list was
     *         empty (it may be full, off its queue)
     */
    static boolean pushBlockPlain(long page, long block, long linkKey) {
        long localFree = getLongPlain(page + LOCAL_FREE_OFFSET);
        long head = localFree & HEAD_MASK;
        putLongPlain(block, encodeLink(page, head, linkKey));
        long updated = ((localFree & ~HEAD_MASK) - ONE_USED) | block;
        putLongPlain(page + LOCAL_FREE_OFFSET, updated);
        return head == 0 || updated >>> USED_SHIFT == 0;
    }

    /** {@link #pushBlockCheckedPlain}: the block was pushed, nothing more to do. */
    static final int PUSHED = 0;
    /** {@link #pushBlockCheckedPlain}: pushed; the owner must look at the page (see {@link #pushBlockPlain}). */
    static final int PUSHED_LOOK = 1;
    /** {@link #pushBlockCheckedPlain}: not a live block of the page; nothing was changed. */
    static final int NOT_LIVE = 2;
    /** Added to {@link #PUSHED} or {@link #PUSHED_LOOK}: the page is marked {@link #markSampledPlain sampled}. */
    static final int SAMPLED_PAGE = 4;
    /** EXTEND's bit 63: see the class comment. */
    private static final long SAMPLED_BIT = Long.MIN_VALUE;

    /**
     * {@link #pushBlockPlain} after {@link BlockChecks}' test, reading each descriptor word once:
     * the free fast path with {@code checks = on}. Owner only.
     *
     * @return {@link #PUSHED}, {@link #PUSHED_LOOK} or {@link #NOT_LIVE}
     */
    static int pushBlockCheckedPlain(long page, long block, long linkKey, int pageShift) {
        long localFree = getLongPlain(page + LOCAL_FREE_OFFSET);
        long extend = getLongPlain(page + EXTEND_NEXT_OFFSET);
        if (!BlockChecks.isLive(page, block, pageShift, linkKey, (int) (localFree >>> USED_SHIFT),
                getLongPlain(page + STRIDE_DIVISOR_OFFSET), extend & HEAD_MASK)) {
            return NOT_LIVE;
        }
        long head = localFree & HEAD_MASK;
        putLongPlain(block, encodeLink(page, head, linkKey));
        long updated = ((localFree & ~HEAD_MASK) - ONE_USED) | block;
        putLongPlain(page + LOCAL_FREE_OFFSET, updated);
        return (head == 0 || updated >>> USED_SHIFT == 0 ? PUSHED_LOOK : PUSHED) | (extend < 0 ? SAMPLED_PAGE : 0);
    }

    /** Marks the page as holding a block leak detection tracks. Owner only. */
    static void markSampledPlain(long page) {
        putLongPlain(page + EXTEND_NEXT_OFFSET, getLongPlain(page + EXTEND_NEXT_OFFSET) | SAMPLED_BIT);
    }

    /** Unmarks a page that holds no tracked block any more. Owner only. */
    static void clearSampledPlain(long page) {
        putLongPlain(page + EXTEND_NEXT_OFFSET, getLongPlain(page + EXTEND_NEXT_OFFSET) & ~SAMPLED_BIT);
    }

    /** Whether the page may hold a tracked block; from any thread, a stale no is covered in {@link LeakSites}. */
    static boolean isSampledOpaque(long page) {
        return getLongOpaque(page + EXTEND_NEXT_OFFSET) < 0;
    }

    /** The word a free block of {@code page} stores to link {@code next} (0 for none). */
    static long encodeLink(long page, long next, long linkKey) {
        return next ^ page ^ linkKey;
    }

    /** The link a free block's first word stores; for a live block, a meaningless value. */
    static long decodeLink(long page, long word, long linkKey) {
        return word ^ page ^ linkKey;
    }

    /** Reads the link of a free block of {@code page}. */
    static long linkPlain(long page, long block, long linkKey) {
        return decodeLink(page, getLongPlain(block), linkKey);
    }

    /** Writes the link of a block of {@code page} that is going on a free list. */
    static void setLinkPlain(long page, long block, long next, long linkKey) {
        putLongPlain(block, encodeLink(page, next, linkKey));
    }

    /** Read by {@code stats()} from any thread: a torn view only makes the snapshot approximate. */
    static int usedOpaque(long page) {
        return (int) (getLongOpaque(page + LOCAL_FREE_OFFSET) >>> USED_SHIFT);
    }

    static int capacity(long page) {
        return getIntPlain(page + CAPACITY_OFFSET);
    }

    /** The {@link SizeClassTable#strideDivisor} of the page's class. */
    static long strideDivisor(long page) {
        return getLongPlain(page + STRIDE_DIVISOR_OFFSET);
    }

    /** Read by a remote free's checks: see {@link BlockChecks}. */
    static long strideDivisorOpaque(long page) {
        return getLongOpaque(page + STRIDE_DIVISOR_OFFSET);
    }

    static int sizeClass(long page) {
        return getIntPlain(page + SIZE_CLASS_OFFSET);
    }

    /** Read by {@code stats()} from any thread; see {@link #usedOpaque}. */
    static int sizeClassOpaque(long page) {
        return getIntOpaque(page + SIZE_CLASS_OFFSET);
    }

    static long extendNext(long page) {
        return getLongPlain(page + EXTEND_NEXT_OFFSET) & HEAD_MASK;
    }

    /** Read by a remote free's checks: see {@link BlockChecks}. */
    static long extendNextOpaque(long page) {
        return getLongOpaque(page + EXTEND_NEXT_OFFSET) & HEAD_MASK;
    }

    static void setExtendNext(long page, long address) {
        long extend = getLongPlain(page + EXTEND_NEXT_OFFSET);
        putLongPlain(page + EXTEND_NEXT_OFFSET, (extend & ~HEAD_MASK) | address);
    }

    static long extendEnd(long page) {
        return getLongPlain(page + EXTEND_END_OFFSET);
    }

    static long queueNext(long page) {
        return getLongPlain(page + QUEUE_NEXT_OFFSET);
    }

    static void setQueueNext(long page, long next) {
        putLongPlain(page + QUEUE_NEXT_OFFSET, next);
    }

    static long queuePrev(long page) {
        return getLongPlain(page + QUEUE_PREV_OFFSET);
    }

    static void setQueuePrev(long page, long prev) {
        putLongPlain(page + QUEUE_PREV_OFFSET, prev);
    }

    static int state(long page) {
        return getIntPlain(page + STATE_OFFSET);
    }

    static void setState(long page, int state) {
        putIntPlain(page + STATE_OFFSET, state);
    }

    static void setExtendEnd(long page, long address) {
        putLongPlain(page + EXTEND_END_OFFSET, address);
    }

    static int nextFreePage(long page) {
        return getIntPlain(page + NEXT_FREE_PAGE_OFFSET);
    }

    static void setNextFreePage(long page, int pageIndex) {
        putIntPlain(page + NEXT_FREE_PAGE_OFFSET, pageIndex);
    }

    static int prevFreePage(long page) {
        return getIntPlain(page + PREV_FREE_PAGE_OFFSET);
    }

    static void setPrevFreePage(long page, int pageIndex) {
        putIntPlain(page + PREV_FREE_PAGE_OFFSET, pageIndex);
    }

    static long dirtyEnd(long page) {
        return getLongPlain(page + DIRTY_END_OFFSET);
    }

    /** Read by {@code stats()} from any thread; see {@link #usedOpaque}. */
    static long dirtyEndOpaque(long page) {
        return NativeMemory.getLongOpaque(page + DIRTY_END_OFFSET);
    }

    static void setDirtyEnd(long page, long address) {
        putLongPlain(page + DIRTY_END_OFFSET, address);
    }

    static long listNext(long page) {
        return getLongPlain(page + LIST_NEXT_OFFSET);
    }

    static void setListNext(long page, long next) {
        putLongPlain(page + LIST_NEXT_OFFSET, next);
    }

    static long listPrev(long page) {
        return getLongPlain(page + LIST_PREV_OFFSET);
    }

    static void setListPrev(long page, long prev) {
        putLongPlain(page + LIST_PREV_OFFSET, prev);
    }

    static int list(long page) {
        return getIntPlain(page + LIST_OFFSET);
    }

    static void setList(long page, int list) {
        putIntPlain(page + LIST_OFFSET, list);
    }

    static long freedAt(long page) {
        return getLongPlain(page + FREED_AT_OFFSET);
    }

    static void setFreedAt(long page, long nanoTime) {
        putLongPlain(page + FREED_AT_OFFSET, nanoTime);
    }

    // ---- shared fields: written by other threads, accessed atomically ----

    static long threadFreeVolatile(long page) {
        return getLongVolatile(page + THREAD_FREE_OFFSET);
    }

    /**
     * Clears the list of a page that has no live block: no other thread can free into it, and the
     * owner publishes the page to others (purger, adopter) only through a lock.
     */
    static void putThreadFreeRelease(long page, long value) {
        NativeMemory.putLongRelease(page + THREAD_FREE_OFFSET, value);
    }

    static boolean casThreadFree(long page, long expected, long value) {
        return casLong(page + THREAD_FREE_OFFSET, expected, value);
    }

    static long getAndSetThreadFree(long page, long value) {
        return getAndSetLong(page + THREAD_FREE_OFFSET, value);
    }

    static void addPendingRemote(long page, int delta) {
        getAndAddInt(page + PENDING_REMOTE_OFFSET, delta);
    }

    /** Read by {@code stats()}: exact once remote frees have returned. */
    static int pendingRemoteOpaque(long page) {
        return getIntOpaque(page + PENDING_REMOTE_OFFSET);
    }

    /**
     * Claims the right to push the page on its heap's notified stack: only one thread may, until
     * the owner takes the page off the stack and clears the flag.
     */
    static boolean casNotifyQueued(long page) {
        return NativeMemory.casInt(page + NOTIFY_QUEUED_OFFSET, 0, 1);
    }

    /** Whether the page is on its heap's notified stack: the owner has not taken it off yet. */
    static boolean isNotifyQueuedVolatile(long page) {
        return NativeMemory.getIntVolatile(page + NOTIFY_QUEUED_OFFSET) != 0;
    }

    /** Clears the flag after the owner took the page off the stack and read its link. */
    static void clearNotifyQueuedVolatile(long page) {
        NativeMemory.putIntVolatile(page + NOTIFY_QUEUED_OFFSET, 0);
    }

    /**
     * Written by the one remote thread that cleared {@link #NOTIFY}, before it publishes the page
     * with a CAS on the heap's stack; read by the owner after it took the stack with getAndSet.
     */
    static long notifyNext(long page) {
        return getLongPlain(page + NOTIFY_NEXT_OFFSET);
    }

    static void setNotifyNext(long page, long next) {
        putLongPlain(page + NOTIFY_NEXT_OFFSET, next);
    }

    /** Initializes a page's descriptor when its segment is created: free, never touched. */
    static void initFree(long page, long pageStart) {
        NativeMemory.fill(page, BYTE_SIZE, (byte) 0);
        putIntPlain(page + SIZE_CLASS_OFFSET, NO_CLASS);
        setDirtyEnd(page, pageStart);
        setState(page, FREE);
    }

    /** Returns how many blocks a page of {@code pageByteSize} holds at {@code blockStride} apart. */
    static int capacityOf(long pageByteSize, long blockStride) {
        return (int) Math.min(pageByteSize / blockStride, MAX_CAPACITY);
    }

    /**
     * Assigns a free page to a size class. Its blocks are carved lazily, so that memory is touched
     * (and committed) only as it is needed.
     */
    static void assign(long page, int sizeClass, long strideDivisor, long start, long pageEnd) {
        long blockStride = SizeClassTable.strideIn(strideDivisor);
        int capacity = capacityOf(pageEnd - start, blockStride);
        putIntPlain(page + PENDING_REMOTE_OFFSET, 0);
        putLongPlain(page + LOCAL_FREE_OFFSET, 0);
        putIntPlain(page + CAPACITY_OFFSET, capacity);
        putIntPlain(page + SIZE_CLASS_OFFSET, sizeClass);
        putLongPlain(page + STRIDE_DIVISOR_OFFSET, strideDivisor);
        putLongPlain(page + EXTEND_NEXT_OFFSET, start);
        setExtendEnd(page, start + (long) capacity * blockStride);
        setQueueNext(page, 0);
        setQueuePrev(page, 0);
        setState(page, ACTIVE);
    }

    /**
     * Returns an empty page to the free state. It keeps its class and its free list until it is
     * purged, so that the same class can prefer it ({@link #lastServed}) or take it back as it
     * is ({@link #reactivate}).
     */
    static void release(long page) {
        setState(page, FREE);
    }

    /** Returns whether a free page last served a class and was not purged since. */
    static boolean lastServed(long page, int sizeClass) {
        return sizeClass(page) == sizeClass;
    }

    /** Puts a released page back in service for the class it had, with the free list it kept. */
    static void reactivate(long page) {
        setQueueNext(page, 0);
        setQueuePrev(page, 0);
        setState(page, ACTIVE);
    }

    /** Forgets the class and the free list of a free page whose memory was purged. */
    static void forgetBlocks(long page) {
        putIntPlain(page + SIZE_CLASS_OFFSET, NO_CLASS);
        putLongPlain(page + LOCAL_FREE_OFFSET, 0);
        putIntPlain(page + CAPACITY_OFFSET, 0);
    }

    /** Read by {@code stats()} from any thread; see {@link #usedOpaque}. */
    static int stateOpaque(long page) {
        return getIntOpaque(page + STATE_OFFSET);
    }
}
