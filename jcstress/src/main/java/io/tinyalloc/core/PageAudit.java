package io.tinyalloc.core;

import static io.tinyalloc.core.PageDescriptor.ACTIVE;
import static io.tinyalloc.core.PageDescriptor.FULL;
import static io.tinyalloc.core.PageDescriptor.NOTIFY;

/**
 * Checks a page's blocks and counters once the threads that raced on it are quiet. Called by the
 * page's owner, so its plain reads of owner-only fields are its own writes; the remote thread
 * finished its free before (the test waits for it), so the shared fields are settled too.
 *
 * <p>Every block carved from a page must be in exactly one place: live in the test's hands, on
 * the local free list, or on the thread-free list. The used count must be the blocks not on the
 * local free list, and the pending-remote count the blocks on the thread-free list.
 */
final class PageAudit {

    /** Every carved block is in exactly one place and both counts agree. */
    static final int CONSISTENT = 0;
    /** A block is in two places (live and free, or twice on a list, or a list has a cycle). */
    static final int DUPLICATE = 1;
    /** Fewer blocks were found than were carved: one is nowhere, never to be handed out again. */
    static final int LOST = 2;
    /** USED is not the number of blocks off the local free list. */
    static final int USED_WRONG = 3;
    /** PENDING_REMOTE is not the number of blocks on the thread-free list. */
    static final int PENDING_WRONG = 4;
    /** A list links to an address that is not a carved block of this page. */
    static final int FOREIGN_LINK = 5;
    /** The page is not assigned to a class although the test holds, or freed, a block of it. */
    static final int NOT_ASSIGNED = 6;
    /** The page handed out more blocks in a row than it holds without the owner moving on. */
    static final int OVERSERVED = 7;

    /** The page is on its class's queue: the owner finds its free blocks when it walks the queue. */
    static final int ACTIVE_ON_QUEUE = 0;
    /** Full, NOTIFY set, nothing freed remotely since: the next remote free will notify. */
    static final int FULL_ARMED = 1;
    /** Full, a remote free took the NOTIFY bit and put the page on the heap's notified stack. */
    static final int FULL_NOTIFIED = 2;
    /** Full, remote blocks waiting, but the page is not on the notified stack: it never comes back. */
    static final int FULL_LOST_WAKEUP = 3;
    /** Full with no NOTIFY bit and nothing freed: the next remote free will not notify. */
    static final int FULL_UNARMED = 4;
    /** Full with remote blocks and NOTIFY still set: a push kept the bit. */
    static final int FULL_ARMED_WITH_BLOCKS = 5;
    /** Full, armed and empty of remote blocks, yet still on the notified stack. */
    static final int FULL_ARMED_STILL_QUEUED = 6;

    private PageAudit() {
    }

    /** The descriptor of the page that holds {@code block}: segments are aligned to their size. */
    static long pageOf(EngineAllocator engine, long block) {
        return SegmentDescriptor.pageDescriptorOf(block & -engine.segmentByteSize, block);
    }

    /**
     * Audits {@code page} against the blocks the test holds live, {@code live[0 .. liveCount)}
     * (blocks of other pages among them are ignored).
     *
     * @return {@link #CONSISTENT} or the first problem found
     */
    static int audit(EngineAllocator engine, long page, long[] live, int liveCount) {
        int pageState = PageDescriptor.state(page);
        if (pageState != ACTIVE && pageState != FULL) {
            return NOT_ASSIGNED;
        }
        long start = engine.pageStart(page);
        long stride = engine.table.blockStride(PageDescriptor.sizeClass(page));
        int carved = (int) ((PageDescriptor.extendNext(page) - start) / stride);
        boolean[] found = new boolean[carved];
        int liveOnPage = 0;
        for (int i = 0; i < liveCount; i++) {
            if (pageOf(engine, live[i]) == page) {
                int problem = markFound(found, live[i], start, stride);
                if (problem != CONSISTENT) {
                    return problem;
                }
                liveOnPage++;
            }
        }
        long localCount = walk(engine, page, PageDescriptor.freeListPlain(page), found, start, stride);
        if (localCount < 0) {
            return (int) -localCount;
        }
        long remoteCount = walk(engine, page, PageDescriptor.threadFreeVolatile(page) & ~NOTIFY, found, start, stride);
        if (remoteCount < 0) {
            return (int) -remoteCount;
        }
        if (liveOnPage + localCount + remoteCount != carved) {
            return LOST;
        }
        if (PageDescriptor.usedPlain(page) != carved - localCount) {
            return USED_WRONG;
        }
        if (PageDescriptor.pendingRemoteOpaque(page) != remoteCount) {
            return PENDING_WRONG;
        }
        return CONSISTENT;
    }

    /** Follows a free list, marking each block found; returns its length, or minus a problem. */
    private static long walk(EngineAllocator engine, long page, long head, boolean[] found, long start, long stride) {
        long count = 0;
        for (long block = head; block != 0;
                block = PageDescriptor.linkPlain(page, block, engine.linkKey) & PageDescriptor.ADDRESS_MASK) {
            int problem = markFound(found, block, start, stride);
            if (problem != CONSISTENT) {
                return -problem;
            }
            count++;
        }
        return count;
    }

    private static int markFound(boolean[] found, long block, long start, long stride) {
        long offset = block - start;
        if (offset < 0 || offset % stride != 0 || offset / stride >= found.length) {
            return FOREIGN_LINK;
        }
        int index = (int) (offset / stride);
        if (found[index]) {
            return DUPLICATE;
        }
        found[index] = true;
        return CONSISTENT;
    }

    /** Classifies how a page stands towards remote frees: see the constants. */
    static int notifyCondition(long page) {
        if (PageDescriptor.state(page) != FULL) {
            return ACTIVE_ON_QUEUE;
        }
        long threadFree = PageDescriptor.threadFreeVolatile(page);
        boolean queued = NativeMemory.getIntOpaque(page + PageDescriptor.NOTIFY_QUEUED_OFFSET) != 0;
        if (threadFree == NOTIFY) {
            return queued ? FULL_ARMED_STILL_QUEUED : FULL_ARMED;
        }
        if (threadFree == 0) {
            return FULL_UNARMED;
        }
        if ((threadFree & NOTIFY) != 0) {
            return FULL_ARMED_WITH_BLOCKS;
        }
        return queued ? FULL_NOTIFIED : FULL_LOST_WAKEUP;
    }
}
