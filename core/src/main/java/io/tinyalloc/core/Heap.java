package io.tinyalloc.core;

import static io.tinyalloc.core.PageDescriptor.ACTIVE;
import static io.tinyalloc.core.PageDescriptor.FREE;
import static io.tinyalloc.core.PageDescriptor.FULL;
import static io.tinyalloc.core.PageDescriptor.NOTIFY;
import static io.tinyalloc.core.PageDescriptor.freeListPlain;
import static io.tinyalloc.core.PageDescriptor.setFreeListPlain;
import static io.tinyalloc.core.PageDescriptor.setUsedPlain;
import static io.tinyalloc.core.PageDescriptor.usedPlain;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The front end that serves small allocations: one per platform thread, or one of a few shared
 * by virtual threads. A heap owns segments, whose pages it assigns to size classes.
 *
 * <p><b>Who touches what.</b> The owner (the heap's thread, or whoever holds {@link #lock} for a
 * shared heap) alone reads and writes {@link #current}, the class queues and the pages assigned
 * to classes: that is the fast path, with plain accesses and no lock. Free pages, the purge
 * list and the lists of segments are also touched by the background purger, so the owner
 * changes them under {@link #lock}, on its slow paths only. Other threads touch a heap only
 * through {@link #pushNotified}, one CAS.
 *
 * <p><b>Lifecycle.</b> A heap is {@link #OWNED} by a live thread, {@link #SHARED} by virtual
 * threads, or {@link #ABANDONED} after its thread died; {@link #BUSY} while someone adopts or
 * reclaims it. An abandoned heap keeps its segments: its empty pages are reclaimed and purged
 * by maintenance, and a new thread adopts it before a new heap is made, so the number of heaps
 * never exceeds the number of threads alive at once plus the shared ones.
 */
final class Heap {

    static final int OWNED = 0;
    static final int ABANDONED = 1;
    static final int BUSY = 2;
    static final int SHARED = 3;

    final int index;
    final ReentrantLock lock = new ReentrantLock();
    final AtomicInteger state;

    /**
     * How much memory a heap keeps resident in empty pages retired with their class, in pages of
     * the smallest page size: 32, so 2 MiB with 64 KiB pages. It bounds bytes touched, not pages.
     * A workload that cycles many classes retires one page for each, most touched only in part:
     * the mixed batch's round of 1,000 blocks leaves about 1 MiB in some 40 pages. A cap of 16
     * pages made it give back, and take again, the page of every class past the 16th on every
     * round (batch-mixed 8.3 -> 6.5 ns per operation with this budget). A thread that stops
     * calling the allocator keeps at most this much, since only the owner releases its retired
     * pages.
     */
    static final int RETIRED_BUDGET_PAGES = 32;

    /** The fewest blocks {@link #extend} carves at once, within {@link #MAX_CARVED_OS_PAGES}. */
    static final int MIN_CARVED_BLOCKS = 4;
    /** The most OS pages {@link #extend} touches to carve {@link #MIN_CARVED_BLOCKS} blocks. */
    static final int MAX_CARVED_OS_PAGES = 4;

    /** How many of the most recently freed pages a class looks through for one it used before. */
    private static final int SAME_CLASS_LOOKUP_PAGES = 16;

    /** The slot of {@link #fastTable} that holds the owner's thread id. */
    static final int OWNER_SLOT = 0;
    /** The slot of {@link #fastTable} that holds the current page of size class 0. */
    static final int FIRST_PAGE_SLOT = 1;

    /**
     * All that the allocation fast path reads of the heap, in one array so that the owner check
     * and the page are one load apart: slot {@link #OWNER_SLOT} holds the owner's thread id
     * ({@link SegmentDescriptor#NO_OWNER} when none), slot {@code FIRST_PAGE_SLOT + sizeClass}
     * the page that class allocates from (the engine's empty page when none). The owner slot is
     * read racily by {@link HeapRegistry#cachedTable}: see there why that is safe.
     */
    final long[] fastTable;
    /** Hardened mode: the order blocks are linked in when carved, reused; and where it comes from. */
    private int[] shuffled = new int[0];
    private final java.util.SplittableRandom random;
    /** Slow-path allocations until the next one is tracked, with {@code leak-detection = sampled}. */
    private int leakSampleCountdown = EngineSettings.LEAK_SAMPLE_INTERVAL;

    private final EngineAllocator engine;
    private final long[] queueHeads;
    private final long[] queueTails;
    /** Per page kind, the first segment of this heap that has free pages. Guarded by {@link #lock}. */
    private final long[] segmentsWithFreePages;
    /** This heap's segments. Guarded by {@link #lock}. */
    private final LongList segments = new LongList();
    /** Pages that received a remote free while full (or while the heap had no owner). */
    private final AtomicLong notified = new AtomicLong();
    /**
     * Per page kind, the free pages waiting to be purged, oldest first: purging takes from the
     * head, reuse from the tail (the most recently freed page, likely still in cache). Under a
     * two-phase policy the list holds reset pages first, waiting for their decommit, then dirty
     * pages from {@link #firstDirtyPages} on (see {@link #purgeExpired}). Guarded by {@link #lock}.
     */
    private final long[] purgeHeads;
    private final long[] purgeTails;
    /** Per page kind, the first page of the purge list not yet reset, 0 if none. Guarded by {@link #lock}. */
    private final long[] firstDirtyPages;
    /**
     * Current pages that emptied, most recent first: they stay with their class for the retire
     * time and are released at a tick once it has passed, if still empty. Owner only.
     */
    private long retiredHead;
    /** The oldest page on the retired list, 0 if none. Owner only. */
    private long retiredTail;
    /**
     * The touched bytes of the retired pages ({@link EngineAllocator#dirtyByteSize}). Exact: a
     * page leaves the retired list before it is carved further ({@link #extend}), so its
     * touched bytes do not change while it is on the list. Owner only.
     */
    private long retiredDirtyBytes;
    /** {@link #RETIRED_BUDGET_PAGES} of the smallest page size. */
    private final long maxRetiredDirtyBytes;
    private long lastTickNanos;
    /** Slow paths left before the next look at the clock. */
    private int slowPathsUntilClock;

    /** The owning thread; null when shared or abandoned. Written under BUSY, read by maintenance. */
    private volatile Thread owner;

    Heap(EngineAllocator engine, int index, Thread owner) {
        this.engine = engine;
        this.index = index;
        this.random = new java.util.SplittableRandom(engine.linkKey ^ index);
        int classes = engine.table.count();
        this.fastTable = new long[FIRST_PAGE_SLOT + classes];
        Arrays.fill(fastTable, engine.emptyPage);
        this.queueHeads = new long[classes];
        this.queueTails = new long[classes];
        this.segmentsWithFreePages = new long[engine.pageShifts.length];
        this.purgeHeads = new long[engine.pageShifts.length];
        this.purgeTails = new long[engine.pageShifts.length];
        this.firstDirtyPages = new long[engine.pageShifts.length];
        this.owner = owner;
        fastTable[OWNER_SLOT] = owner == null ? SegmentDescriptor.NO_OWNER : owner.threadId();
        this.state = new AtomicInteger(owner == null ? SHARED : OWNED);
        this.lastTickNanos = System.nanoTime();
        this.maxRetiredDirtyBytes = (long) RETIRED_BUDGET_PAGES << Arrays.stream(engine.pageShifts).min().orElseThrow();
    }

    Thread owner() {
        return owner;
    }

    /**
     * Takes the heap of {@code deadOwner}, seen dead, for reclaiming: sets the state from
     * {@link #OWNED} to {@link #BUSY}. The state alone cannot tell whether it is still that
     * thread's: between the look and the CAS, maintenance may have reclaimed the heap and another
     * thread adopted it, leaving it OWNED again by a live thread (the ABA that let two threads
     * share a heap, and crashed mstress). So once BUSY, which freezes the owner, the owner is
     * compared, and a heap that changed hands is given back as it was.
     *
     * @return whether the caller now holds the heap, BUSY, with the dead owner's pages in it
     */
    boolean claimFromDeadOwner(Thread deadOwner) {
        if (!state.compareAndSet(OWNED, BUSY)) {
            return false;
        }
        if (owner != deadOwner) {
            state.set(OWNED);
            return false;
        }
        return true;
    }

    /** Read racily by {@link HeapRegistry#local()}: see there why that is safe. */
    long ownerThreadIdPlain() {
        return fastTable[OWNER_SLOT];
    }

    private void setOwnerThreadId(long threadId) {
        fastTable[OWNER_SLOT] = threadId;
    }

    long currentPage(int sizeClass) {
        return fastTable[FIRST_PAGE_SLOT + sizeClass];
    }

    private void setCurrentPage(int sizeClass, long page) {
        fastTable[FIRST_PAGE_SLOT + sizeClass] = page;
    }

    boolean isShared() {
        return state.get() == SHARED;
    }

    boolean isOwnerless() {
        return owner == null && state.get() != SHARED;
    }

    // ------------------------------------------------------------------ allocation slow path

    /**
     * Allocates a block of a class whose current page has no free block: collects remote
     * frees, walks the class queue, takes a new page if needed.
     */
    long allocateSlow(int sizeClass) {
        collectNotified();
        collectRemoteMessages();
        long page = findPageWithFreeBlock(sizeClass);
        long block = engine.pop(page);
        if (engine.sampledSites != null && --leakSampleCountdown == 0) {
            leakSampleCountdown = EngineSettings.LEAK_SAMPLE_INTERVAL;
            PageDescriptor.markSampledPlain(page); // before the block can be freed by any thread
            engine.sampledSites.track(block, engine.table.blockByteSize(sizeClass), page);
        }
        tickIfDue();
        return block;
    }

    /**
     * Makes the first page of the class queue that has a free block the class's current page,
     * marking the pages before it full, or takes a free page. Under lowest-address selection the
     * queue is in address order ({@link #insertInAddressOrder}), so that page is the lowest.
     */
    private long findPageWithFreeBlock(int sizeClass) {
        long page = queueHeads[sizeClass];
        while (page != 0) {
            if (hasFreeBlock(page)) {
                setCurrentPage(sizeClass, page);
                return page;
            }
            long next = PageDescriptor.queueNext(page);
            if (markFull(page, sizeClass)) {
                page = next;
            }
            // else a remote free arrived in between: look at the same page again
        }
        page = takeFreePage(sizeClass);
        setCurrentPage(sizeClass, page);
        if (!hasFreeBlock(page)) {
            throw new IllegalStateException("a fresh page has no block: " + describePage(page));
        }
        return page;
    }

    private boolean hasFreeBlock(long page) {
        return freeListPlain(page) != 0 || collectThreadFree(page) > 0 || extend(page);
    }

    /**
     * Takes a page with no free block off its queue and asks remote freers to notify this heap,
     * with one CAS that fails if a remote free got there first.
     */
    private boolean markFull(long page, int sizeClass) {
        if (!PageDescriptor.casThreadFree(page, 0, NOTIFY)) {
            return false;
        }
        unlinkFromQueue(page, sizeClass);
        PageDescriptor.setState(page, FULL);
        return true;
    }

    /** Moves the blocks that other threads freed to the local free list; returns how many. */
    private int collectThreadFree(long page) {
        if (PageDescriptor.threadFreeVolatile(page) == 0) {
            return 0;
        }
        long list = PageDescriptor.getAndSetThreadFree(page, 0) & ~NOTIFY;
        if (list == 0) {
            return 0;
        }
        long linkKey = engine.linkKey;
        int count = 1;
        long tail = list;
        for (long next = PageDescriptor.linkPlain(page, tail, linkKey); next != 0;
                next = PageDescriptor.linkPlain(page, tail, linkKey)) {
            if (engine.secure && !engine.isCarvedBlock(page, next)) {
                // Hardened mode: a corrupted link is cut, never followed; the blocks past it are lost.
                PageDescriptor.setLinkPlain(page, tail, 0, linkKey);
                spliceCollected(page, list, tail, count);
                throw engine.corruptedFreeList(page, tail, next);
            }
            tail = next;
            count++;
        }
        spliceCollected(page, list, tail, count);
        return count;
    }

    private void spliceCollected(long page, long list, long tail, int count) {
        long linkKey = engine.linkKey;
        PageDescriptor.setLinkPlain(page, tail, freeListPlain(page), linkKey);
        setFreeListPlain(page, list);
        setUsedPlain(page, usedPlain(page) - count);
        PageDescriptor.addPendingRemote(page, -count);
    }

    /**
     * Carves the next never-used blocks of the page into its free list: an OS page worth, so that
     * memory is touched, and counted as committed, only as it is needed. Blocks of an OS page or
     * so are carved {@link #MIN_CARVED_BLOCKS} at a time as long as that stays within
     * {@link #MAX_CARVED_OS_PAGES} OS pages, so that such a class does not take the slow path for
     * every allocation from a fresh page (batch-4k: 10.7 -> 9.9 ns per operation), while larger
     * blocks, whose pages often hold a few live blocks only, are still carved one by one (four at
     * a time took the peak committed bytes of the gcc replay from 1.37x to 1.66x its live bytes).
     */
    private boolean extend(long page) {
        long next = PageDescriptor.extendNext(page);
        long end = PageDescriptor.extendEnd(page);
        if (next >= end) {
            return false;
        }
        if (PageDescriptor.list(page) == PageDescriptor.ON_RETIRED_LIST) {
            unretire(page); // in use again, and about to touch more memory: see retiredDirtyBytes
        }
        long stride = engine.table.blockStride(PageDescriptor.sizeClass(page));
        long count = Math.min((end - next) / stride, carvedBlocks(stride));
        long last = next + (count - 1) * stride;
        if (engine.secure) {
            linkInRandomOrder(page, next, (int) count, stride);
        } else {
            linkInOrder(page, next, last, stride);
        }
        long extended = last + stride;
        PageDescriptor.setExtendNext(page, extended);
        if (extended > PageDescriptor.dirtyEnd(page)) {
            PageDescriptor.setDirtyEnd(page, extended);
        }
        return true;
    }

    /** How many blocks of {@code stride} bytes {@link #extend} carves at once, before the page's end. */
    private long carvedBlocks(long stride) {
        long osPage = engine.osPageByteSize;
        return Math.max(1, Math.max(osPage / stride, Math.min(MIN_CARVED_BLOCKS, MAX_CARVED_OS_PAGES * osPage / stride)));
    }

    private void linkInOrder(long page, long first, long last, long stride) {
        long linkKey = engine.linkKey;
        for (long block = first; block < last; block += stride) {
            PageDescriptor.setLinkPlain(page, block, block + stride, linkKey);
        }
        PageDescriptor.setLinkPlain(page, last, 0, linkKey);
        setFreeListPlain(page, first);
    }

    /**
     * Hardened mode: links newly carved blocks in a random order (Fisher-Yates over their
     * indexes), so that where the next block lands cannot be predicted from the last one.
     */
    private void linkInRandomOrder(long page, long first, int count, long stride) {
        if (shuffled.length < count) {
            shuffled = new int[count];
        }
        for (int i = 0; i < count; i++) {
            shuffled[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swapped = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swapped;
        }
        long linkKey = engine.linkKey;
        for (int i = 0; i < count - 1; i++) {
            PageDescriptor.setLinkPlain(page, first + shuffled[i] * stride, first + shuffled[i + 1] * stride, linkKey);
        }
        PageDescriptor.setLinkPlain(page, first + shuffled[count - 1] * stride, 0, linkKey);
        setFreeListPlain(page, first + shuffled[0] * stride);
    }

    // ------------------------------------------------------------------ free slow paths

    /**
     * Called by the owner after a local free that emptied the page or went into a page whose
     * free list was empty (it may be full, and then it goes back on its queue).
     */
    void localFreeSlow(long page) {
        if (PageDescriptor.state(page) == FULL) {
            PageDescriptor.setState(page, ACTIVE);
            appendToQueue(page, PageDescriptor.sizeClass(page));
        }
        if (usedPlain(page) == 0) {
            pageEmptied(page);
        }
        tickIfDue();
    }

    /** Called by a thread that freed a block of a full page: queues the page for its owner. */
    void pushNotified(long page) {
        if (!PageDescriptor.casNotifyQueued(page)) {
            return; // already on the stack: the owner will see the new blocks when it takes it
        }
        long head;
        do {
            head = notified.get();
            PageDescriptor.setNotifyNext(page, head);
        } while (!notified.compareAndSet(head, page));
    }

    private void collectNotified() {
        if (notified.get() == 0) {
            return;
        }
        long page = notified.getAndSet(0);
        while (page != 0) {
            long next = PageDescriptor.notifyNext(page);
            PageDescriptor.clearNotifyQueuedVolatile(page);
            collectNotifiedPage(page);
            page = next;
        }
    }

    /**
     * With batched remote frees ({@link RemoteFreeBatches}): sends the calling thread's own
     * batches to their heaps, then takes this heap's inbox and frees every block in it into its
     * page as the owner's free would, without the owner's tick. Caller owns the heap (or holds it
     * for maintenance).
     */
    void collectRemoteMessages() {
        RemoteFreeBatches batches = engine.remoteFreeBatches;
        if (batches == null) {
            return;
        }
        batches.flushCurrentThread();
        long linkKey = engine.linkKey;
        for (long block = batches.takeInbox(index); block != 0; ) {
            long next = batches.next(block); // read before the free overwrites the link
            long page = batches.pageOf(block);
            boolean mustLook = PageDescriptor.pushBlockPlain(page, block, linkKey);
            // After the push, as in collectThreadFree: a racing stats() may count the block neither live nor pending.
            PageDescriptor.addPendingRemote(page, -1);
            if (mustLook) {
                if (PageDescriptor.state(page) == FULL) {
                    PageDescriptor.setState(page, ACTIVE);
                    appendToQueue(page, PageDescriptor.sizeClass(page));
                }
                if (usedPlain(page) == 0) {
                    pageEmptied(page);
                }
            }
            block = next;
        }
    }

    private void collectNotifiedPage(long page) {
        if (!holdsSegmentOf(page)) {
            return; // a stale notification: the page's segment was given back since
        }
        int pageState = PageDescriptor.state(page);
        if (pageState == FREE) {
            // A stale notification: the page emptied since. Its segment may have waited for it.
            lock.lock();
            try {
                releaseSegmentIfUnused(engine.segmentOfPage(page));
            } finally {
                lock.unlock();
            }
            return;
        }
        if (isOwnerless()) {
            reclaimPage(page, System.nanoTime());
            return;
        }
        collectThreadFree(page);
        if (pageState == FULL && freeListPlain(page) != 0) {
            PageDescriptor.setState(page, ACTIVE);
            appendToQueue(page, PageDescriptor.sizeClass(page));
        }
        if (usedPlain(page) == 0) {
            pageEmptied(page);
        }
    }

    /**
     * A page has no live block left. The current page of its class is retired, so that a loop
     * that allocates and frees does not give its page back each time; any other page goes back to
     * its segment at once, where any class can take it (still dirty, so without a page fault).
     * Either way its clock starts at the last tick rather than now, as {@link #retire} explains:
     * pages empty on frees, and a batch of frees empties many (the mixed batch spent 1.5 % of its
     * time in the clock).
     */
    private void pageEmptied(long page) {
        int sizeClass = PageDescriptor.sizeClass(page);
        if (currentPage(sizeClass) == page && engine.purgeDelayNanos != 0 && !isOwnerless()) {
            retire(page);
        } else {
            releasePage(page, sizeClass, lastTickNanos);
        }
    }

    /**
     * Keeps an empty page with its class until a tick finds it still empty after the retire time.
     * Its clock starts at the last tick rather than now, which saves reading the clock on a free
     * and makes the page go at most one tick interval early.
     */
    private void retire(long page) {
        PageDescriptor.setFreedAt(page, lastTickNanos);
        if (PageDescriptor.list(page) == PageDescriptor.ON_RETIRED_LIST) {
            return;
        }
        PageDescriptor.setListPrev(page, 0);
        PageDescriptor.setListNext(page, retiredHead);
        if (retiredHead != 0) {
            PageDescriptor.setListPrev(retiredHead, page);
        } else {
            retiredTail = page;
        }
        retiredHead = page;
        PageDescriptor.setList(page, PageDescriptor.ON_RETIRED_LIST);
        retiredDirtyBytes += engine.dirtyByteSize(page, PageDescriptor.dirtyEnd(page));
        while (retiredDirtyBytes > maxRetiredDirtyBytes) {
            releaseOldestRetiredPage();
        }
    }

    /**
     * Releases the page retired longest ago, or forgets it if it is in use again: a heap keeps
     * at most {@link #RETIRED_BUDGET_PAGES} pages' worth of touched memory retired, however many
     * classes went empty, so that a thread that stops allocating (or a phase that ends) leaves
     * little resident behind.
     */
    private void releaseOldestRetiredPage() {
        long oldest = retiredTail;
        if (usedPlain(oldest) != 0 || PageDescriptor.state(oldest) != ACTIVE) {
            unretire(oldest);
        } else {
            releasePage(oldest, PageDescriptor.sizeClass(oldest), lastTickNanos);
        }
    }

    private void unretire(long page) {
        long prev = PageDescriptor.listPrev(page);
        long next = PageDescriptor.listNext(page);
        if (prev != 0) {
            PageDescriptor.setListNext(prev, next);
        } else {
            retiredHead = next;
        }
        if (next != 0) {
            PageDescriptor.setListPrev(next, prev);
        } else {
            retiredTail = prev;
        }
        PageDescriptor.setList(page, PageDescriptor.ON_NO_LIST);
        retiredDirtyBytes -= engine.dirtyByteSize(page, PageDescriptor.dirtyEnd(page));
        assert (retiredHead == 0) == (retiredDirtyBytes == 0) : "retired bytes " + retiredDirtyBytes + " out of step";
    }

    /** Releases the retired pages that stayed empty for the retire time; forgets those in use again. */
    private void releaseExpiredRetiredPages(long now) {
        long page = retiredHead;
        while (page != 0) {
            long next = PageDescriptor.listNext(page);
            if (usedPlain(page) != 0 || PageDescriptor.state(page) != ACTIVE) {
                unretire(page);
            } else if (now - PageDescriptor.freedAt(page) >= engine.retireNanos) {
                releasePage(page, PageDescriptor.sizeClass(page), PageDescriptor.freedAt(page));
            }
            page = next;
        }
    }

    private void releasePage(long page, int sizeClass, long now) {
        if (PageDescriptor.list(page) == PageDescriptor.ON_RETIRED_LIST) {
            unretire(page);
        }
        unlinkFromQueue(page, sizeClass);
        if (currentPage(sizeClass) == page) {
            setCurrentPage(sizeClass, engine.emptyPage);
        }
        lock.lock();
        try {
            PageDescriptor.putThreadFreeRelease(page, 0);
            PageDescriptor.release(page);
            long segment = engine.segmentOfPage(page);
            pushFreePage(segment, page);
            addToPurgeList(page, now);
            if (engine.purgeDelayNanos == 0) {
                purgeExpired(now);
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ class queues (owner only)

    /** Queues a page just taken for its class: at the front, or in address order with lowest-address selection. */
    private void pushQueueFront(long page, int sizeClass) {
        if (engine.lowestAddressFirst) {
            insertInAddressOrder(page, sizeClass);
            return;
        }
        long head = queueHeads[sizeClass];
        PageDescriptor.setQueuePrev(page, 0);
        PageDescriptor.setQueueNext(page, head);
        if (head != 0) {
            PageDescriptor.setQueuePrev(head, page);
        } else {
            queueTails[sizeClass] = page;
        }
        queueHeads[sizeClass] = page;
    }

    /** Queues a page that has a free block again: at the back, or in address order with lowest-address selection. */
    private void appendToQueue(long page, int sizeClass) {
        if (engine.lowestAddressFirst) {
            insertInAddressOrder(page, sizeClass);
            return;
        }
        long tail = queueTails[sizeClass];
        PageDescriptor.setQueueNext(page, 0);
        PageDescriptor.setQueuePrev(page, tail);
        if (tail != 0) {
            PageDescriptor.setQueueNext(tail, page);
        } else {
            queueHeads[sizeClass] = page;
        }
        queueTails[sizeClass] = page;
    }

    /**
     * Inserts a page into its class queue, which is kept in ascending address order, so that
     * {@link #findPageWithFreeBlock} comes to the lowest page with a free block first. Comparing
     * descriptors compares pages: a page's descriptor lies in the header of its own segment, at
     * the page's index. A walk over the queue, on slow paths only: a page joins the queue when it
     * is taken for the class or gets a free block back after being full.
     */
    private void insertInAddressOrder(long page, int sizeClass) {
        long next = queueHeads[sizeClass];
        while (next != 0 && Long.compareUnsigned(next, page) < 0) {
            next = PageDescriptor.queueNext(next);
        }
        long prev = next == 0 ? queueTails[sizeClass] : PageDescriptor.queuePrev(next);
        PageDescriptor.setQueuePrev(page, prev);
        PageDescriptor.setQueueNext(page, next);
        if (prev != 0) {
            PageDescriptor.setQueueNext(prev, page);
        } else {
            queueHeads[sizeClass] = page;
        }
        if (next != 0) {
            PageDescriptor.setQueuePrev(next, page);
        } else {
            queueTails[sizeClass] = page;
        }
    }

    private void unlinkFromQueue(long page, int sizeClass) {
        long prev = PageDescriptor.queuePrev(page);
        long next = PageDescriptor.queueNext(page);
        if (prev != 0) {
            PageDescriptor.setQueueNext(prev, next);
        } else if (queueHeads[sizeClass] == page) {
            queueHeads[sizeClass] = next;
        }
        if (next != 0) {
            PageDescriptor.setQueuePrev(next, prev);
        } else if (queueTails[sizeClass] == page) {
            queueTails[sizeClass] = prev;
        }
        PageDescriptor.setQueueNext(page, 0);
        PageDescriptor.setQueuePrev(page, 0);
    }

    // ------------------------------------------------------------------ pages and segments (under lock)

    /**
     * The free page waiting for its purge that a class should take: the most recently freed one
     * that last served this class, if one of the last few did (its memory is touched no further
     * than the class used it, so carving it again touches nothing new), else the most recently
     * freed one. Returns 0 when none waits. Caller holds the lock.
     */
    private long recentFreePage(int pageKind, int sizeClass) {
        long page = purgeTails[pageKind];
        for (int looked = 0; page != 0 && looked < SAME_CLASS_LOOKUP_PAGES; looked++) {
            if (PageDescriptor.lastServed(page, sizeClass)) {
                return page;
            }
            page = PageDescriptor.listPrev(page);
        }
        return purgeTails[pageKind];
    }

    /**
     * The segment at the lowest address among this heap's segments that have free pages of a
     * kind, 0 if none has: a walk over the segments with free pages, not over their pages.
     * Caller holds the lock.
     */
    private long lowestSegmentWithFreePages(int pageKind) {
        long lowest = segmentsWithFreePages[pageKind];
        for (long segment = lowest; segment != 0; segment = SegmentDescriptor.nextSegment(segment)) {
            if (Long.compareUnsigned(segment, lowest) < 0) {
                lowest = segment;
            }
        }
        return lowest;
    }

    /**
     * The free page with the lowest index in a segment that has one: a walk over the segment's
     * free pages, which are listed in the order they were freed. Caller holds the lock.
     */
    private static long lowestFreePage(long segment) {
        int lowestIndex = SegmentDescriptor.freePageHead(segment);
        for (int pageIndex = lowestIndex; pageIndex != SegmentDescriptor.NO_PAGE;
                pageIndex = PageDescriptor.nextFreePage(SegmentDescriptor.pageDescriptor(segment, pageIndex))) {
            lowestIndex = Math.min(lowestIndex, pageIndex);
        }
        return SegmentDescriptor.pageDescriptor(segment, lowestIndex);
    }

    /**
     * Takes a free page of the right kind, from a segment of this heap or a new one, for a class:
     * under first fit the page freed most recently ({@link #recentFreePage}), else the first free
     * page of the first segment that has one; under lowest-address selection the lowest free
     * page of the lowest such segment.
     */
    private long takeFreePage(int sizeClass) {
        int pageKind = engine.table.pageKind(sizeClass);
        long page;
        lock.lock();
        try {
            long segment;
            boolean onPurgeList;
            if (engine.lowestAddressFirst) {
                segment = lowestSegmentWithFreePages(pageKind);
                if (segment == 0) {
                    segment = newSegment(pageKind);
                }
                page = lowestFreePage(segment);
                onPurgeList = PageDescriptor.list(page) == PageDescriptor.ON_PURGE_LIST;
            } else {
                page = recentFreePage(pageKind, sizeClass);
                onPurgeList = page != 0;
                if (onPurgeList) {
                    segment = engine.segmentOfPage(page);
                } else {
                    segment = segmentsWithFreePages[pageKind];
                    if (segment == 0) {
                        segment = newSegment(pageKind);
                    }
                    page = SegmentDescriptor.pageDescriptor(segment, SegmentDescriptor.freePageHead(segment));
                }
            }
            // The page freed last, back to its class before anything else was freed: its free
            // list is still the one the class just left, used as it is.
            boolean justLeft = onPurgeList && page == purgeTails[pageKind] && PageDescriptor.lastServed(page, sizeClass);
            long pageStart = engine.pageStart(page);
            long pageEnd = pageStart + (1L << SegmentDescriptor.pageShift(segment));
            if (!justLeft && PageDescriptor.dirtyEnd(page) == pageStart) {
                // Before the page leaves its lists: if the commit fails, the page stays where it
                // was, and a segment made for it, unused, goes back at once.
                try {
                    engine.commit(pageStart, pageEnd - pageStart);
                } catch (RuntimeException e) {
                    releaseSegmentIfUnused(segment);
                    throw e;
                }
            }
            if (onPurgeList) {
                removeFromPurgeList(page);
            }
            removeFreePage(segment, page);
            if (justLeft) {
                PageDescriptor.reactivate(page);
            } else {
                // Carved again even when it comes back to its own class after others were freed:
                // the free list it kept is in the order its blocks were freed, scattered over the
                // page, where fresh carving hands blocks out in address order (python's replay:
                // 15.6 -> 13.3 ns per operation; see docs/architecture.md).
                PageDescriptor.assign(page, sizeClass, engine.table.strideDivisor(sizeClass), pageStart, pageEnd);
            }
        } finally {
            lock.unlock();
        }
        pushQueueFront(page, sizeClass);
        return page;
    }

    private long newSegment(int pageKind) {
        long segment = engine.acquireSegment();
        int pageShift = engine.pageShifts[pageKind];
        int pageCount = (int) (engine.segmentByteSize >>> pageShift);
        SegmentDescriptor.initSmall(segment, engine.magic, engine.segmentByteSize, pageShift, pageCount, index,
                ownerThreadIdPlain());
        long headerByteSize = SegmentDescriptor.headerByteSize(pageCount, engine.osPageByteSize);
        int headerPages = (int) ((headerByteSize + (1L << pageShift) - 1) >>> pageShift);
        // In hardened mode the last page is never used, and its last OS page is a guard: an
        // overflow off the end of the segment's last block faults instead of reaching the next.
        int usablePageEnd = engine.secure ? pageCount - 1 : pageCount;
        if (engine.secure) {
            try {
                engine.protectGuard(segment + engine.segmentByteSize - engine.osPageByteSize);
            } catch (RuntimeException e) {
                engine.releaseSegment(segment);
                throw e;
            }
        }
        for (int pageIndex = pageCount - 1; pageIndex >= 0; pageIndex--) {
            long page = SegmentDescriptor.pageDescriptor(segment, pageIndex);
            PageDescriptor.initFree(page, segment + ((long) pageIndex << pageShift));
            if (pageIndex >= headerPages && pageIndex < usablePageEnd) {
                pushFreePage(segment, page);
            } else {
                PageDescriptor.setState(page, PageDescriptor.HEADER);
            }
        }
        segments.add(segment);
        engine.registerSegment(segment);
        return segment;
    }

    private void pushFreePage(long segment, long page) {
        int pageIndex = engine.pageIndex(segment, page);
        int head = SegmentDescriptor.freePageHead(segment);
        PageDescriptor.setNextFreePage(page, head);
        PageDescriptor.setPrevFreePage(page, SegmentDescriptor.NO_PAGE);
        if (head != SegmentDescriptor.NO_PAGE) {
            PageDescriptor.setPrevFreePage(SegmentDescriptor.pageDescriptor(segment, head), pageIndex);
        }
        SegmentDescriptor.setFreePageHead(segment, pageIndex);
        SegmentDescriptor.setFreePageCount(segment, SegmentDescriptor.freePageCount(segment) + 1);
        if (!SegmentDescriptor.inFreeList(segment)) {
            linkSegment(segment);
        }
    }

    private void removeFreePage(long segment, long page) {
        int next = PageDescriptor.nextFreePage(page);
        int prev = PageDescriptor.prevFreePage(page);
        if (prev != SegmentDescriptor.NO_PAGE) {
            PageDescriptor.setNextFreePage(SegmentDescriptor.pageDescriptor(segment, prev), next);
        } else {
            SegmentDescriptor.setFreePageHead(segment, next);
        }
        if (next != SegmentDescriptor.NO_PAGE) {
            PageDescriptor.setPrevFreePage(SegmentDescriptor.pageDescriptor(segment, next), prev);
        }
        int remaining = SegmentDescriptor.freePageCount(segment) - 1;
        SegmentDescriptor.setFreePageCount(segment, remaining);
        if (remaining == 0) {
            unlinkSegment(segment);
        }
    }

    private int pageKindOf(long segment) {
        return engine.pageKindOfShift(SegmentDescriptor.pageShift(segment));
    }

    private void linkSegment(long segment) {
        int pageKind = pageKindOf(segment);
        long head = segmentsWithFreePages[pageKind];
        SegmentDescriptor.setPrevSegment(segment, 0);
        SegmentDescriptor.setNextSegment(segment, head);
        if (head != 0) {
            SegmentDescriptor.setPrevSegment(head, segment);
        }
        segmentsWithFreePages[pageKind] = segment;
        SegmentDescriptor.setInFreeList(segment, true);
    }

    private void unlinkSegment(long segment) {
        long prev = SegmentDescriptor.prevSegment(segment);
        long next = SegmentDescriptor.nextSegment(segment);
        if (prev != 0) {
            SegmentDescriptor.setNextSegment(prev, next);
        } else {
            segmentsWithFreePages[pageKindOf(segment)] = next;
        }
        if (next != 0) {
            SegmentDescriptor.setPrevSegment(next, prev);
        }
        SegmentDescriptor.setInFreeList(segment, false);
    }

    // ------------------------------------------------------------------ purging (under lock)

    private int pageKindOfPage(long page) {
        return pageKindOf(engine.segmentOfPage(page));
    }

    private void addToPurgeList(long page, long now) {
        int pageKind = pageKindOfPage(page);
        long tail = purgeTails[pageKind];
        PageDescriptor.setFreedAt(page, now);
        PageDescriptor.setListNext(page, 0);
        PageDescriptor.setListPrev(page, tail);
        if (tail != 0) {
            PageDescriptor.setListNext(tail, page);
        } else {
            purgeHeads[pageKind] = page;
        }
        purgeTails[pageKind] = page;
        if (firstDirtyPages[pageKind] == 0) {
            firstDirtyPages[pageKind] = page;
        }
        PageDescriptor.setList(page, PageDescriptor.ON_PURGE_LIST);
        if (engine.purgeDelayNanos != io.tinyalloc.spi.PurgePolicy.NEVER) {
            engine.purgeQueued();
        }
    }

    private void removeFromPurgeList(long page) {
        int pageKind = pageKindOfPage(page);
        long prev = PageDescriptor.listPrev(page);
        long next = PageDescriptor.listNext(page);
        if (firstDirtyPages[pageKind] == page) {
            firstDirtyPages[pageKind] = next;
        }
        if (prev != 0) {
            PageDescriptor.setListNext(prev, next);
        } else {
            purgeHeads[pageKind] = next;
        }
        if (next != 0) {
            PageDescriptor.setListPrev(next, prev);
        } else {
            purgeTails[pageKind] = prev;
        }
        PageDescriptor.setList(page, PageDescriptor.ON_NO_LIST);
    }

    /**
     * Purges the free pages whose delay has passed, oldest first, and gives back segments that are
     * left entirely free and clean. Caller holds {@link #lock}.
     *
     * <p>Under a two-phase policy a dirty page that is due is reset and stays where it is, free
     * and reusable: the pages before {@link #firstDirtyPages} are exactly the reset ones, in the
     * order they emptied, so each phase is a walk from its own start that stops at the first page
     * not yet due. A reset page forgets its class and free list, so a class that takes it back
     * carves it afresh rather than trusting links that the system may have zeroed. A page found
     * past both deadlines is decommitted at once. A page whose purge fails stays where it is, for
     * the next tick.
     */
    void purgeExpired(long now) {
        if (engine.purgeDelayNanos == io.tinyalloc.spi.PurgePolicy.NEVER) {
            return;
        }
        for (int pageKind = 0; pageKind < purgeHeads.length; pageKind++) {
            decommitExpiredResetPages(pageKind, now);
            purgeExpiredDirtyPages(pageKind, now);
        }
    }

    /** The second phase: decommits the reset pages whose decommit is due. */
    private void decommitExpiredResetPages(int pageKind, long now) {
        long page = purgeHeads[pageKind];
        while (page != 0 && page != firstDirtyPages[pageKind]
                && now - PageDescriptor.freedAt(page) >= engine.decommitAfterNanos) {
            long next = PageDescriptor.listNext(page);
            if (!engine.decommitPage(page)) {
                return;
            }
            removeFromPurgeList(page);
            releaseSegmentIfUnused(engine.segmentOfPage(page));
            page = next;
        }
    }

    /**
     * The first phase, or the only one: purges the dirty pages whose delay has passed. Under a
     * two-phase policy a page is reset and becomes the last reset page, unless its decommit is due
     * already.
     */
    private void purgeExpiredDirtyPages(int pageKind, long now) {
        boolean twoPhase = engine.decommitAfterNanos != io.tinyalloc.spi.PurgePolicy.NEVER;
        long page = firstDirtyPages[pageKind];
        while (page != 0 && now - PageDescriptor.freedAt(page) >= engine.purgeDelayNanos) {
            long next = PageDescriptor.listNext(page);
            if (twoPhase && now - PageDescriptor.freedAt(page) < engine.decommitAfterNanos) {
                if (!engine.resetPage(page)) {
                    return;
                }
                firstDirtyPages[pageKind] = next;
            } else {
                if (!(twoPhase ? engine.decommitPage(page) : engine.purgePage(page))) {
                    return;
                }
                removeFromPurgeList(page);
                releaseSegmentIfUnused(engine.segmentOfPage(page));
            }
            page = next;
        }
    }

    private boolean holdsSegmentOf(long page) {
        lock.lock();
        try {
            return segments.contains(engine.segmentOfPage(page));
        } finally {
            lock.unlock();
        }
    }

    private void releaseSegmentIfUnused(long segment) {
        if (!segments.contains(segment)) {
            return; // given back already: a stale notification named one of its pages
        }
        int pageCount = SegmentDescriptor.pageCount(segment);
        int usablePages = 0;
        for (int pageIndex = 0; pageIndex < pageCount; pageIndex++) {
            long page = SegmentDescriptor.pageDescriptor(segment, pageIndex);
            int pageState = PageDescriptor.state(page);
            if (pageState == PageDescriptor.HEADER) {
                continue;
            }
            if (pageState != FREE || PageDescriptor.list(page) == PageDescriptor.ON_PURGE_LIST
                    || PageDescriptor.dirtyEnd(page) != engine.pageStart(page)
                    || PageDescriptor.isNotifyQueuedVolatile(page)) {
                // A page still on the notified stack links it through its descriptor: the segment
                // (and its header) stays until collectNotified has taken the page off.
                return;
            }
            usablePages++;
        }
        if (usablePages != SegmentDescriptor.freePageCount(segment)) {
            return;
        }
        if (SegmentDescriptor.inFreeList(segment)) {
            unlinkSegment(segment);
        }
        segments.remove(segment);
        engine.releaseSegment(segment);
    }

    // ------------------------------------------------------------------ maintenance

    /** Allocation slow paths between two looks at the clock: the clock costs as much as a slow path. */
    private static final int SLOW_PATHS_PER_CLOCK = 8;

    /** On the owner's allocation slow paths: every few of them, runs {@link #tick} if it is due. */
    private void tickIfDue() {
        if (--slowPathsUntilClock <= 0) {
            slowPathsUntilClock = SLOW_PATHS_PER_CLOCK;
            tickIfDue(System.nanoTime());
        }
    }

    private void tickIfDue(long now) {
        if (now - lastTickNanos >= engine.tickIntervalNanos) {
            tick(now);
        }
    }

    /**
     * The owner's periodic work: release emptied current pages whose delay passed, purge, and let
     * the engine look after abandoned heaps and the large cache.
     */
    void tick(long now) {
        tickLocal(now);
        engine.maintain(now, this);
    }

    /** The part of {@link #tick} that concerns this heap only. Caller owns the heap. */
    void tickLocal(long now) {
        lastTickNanos = now;
        collectRemoteMessages();
        collectNotified();
        collectIdleCurrentPages();
        collectQueuedPages();
        releaseExpiredRetiredPages(now);
        lock.lock();
        try {
            purgeExpired(now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Collects the remote frees of the current pages, so that a page emptied by other threads is
     * retired (and in time released) even if its class is not allocated from again.
     */
    private void collectIdleCurrentPages() {
        for (int sizeClass = 0; sizeClass < engine.table.count(); sizeClass++) {
            long page = currentPage(sizeClass);
            if (page != engine.emptyPage && usedPlain(page) != 0 && collectThreadFree(page) > 0
                    && usedPlain(page) == 0) {
                retire(page);
            }
        }
    }

    /**
     * Collects the remote frees of the other pages on the class queues: a page that other
     * threads emptied is released even if its class is never allocated from again (pages of the
     * heaps shared by virtual threads, freed by platform threads, stayed committed without this).
     */
    private void collectQueuedPages() {
        for (int sizeClass = 0; sizeClass < engine.table.count(); sizeClass++) {
            long page = queueHeads[sizeClass];
            while (page != 0) {
                long next = PageDescriptor.queueNext(page);
                if (page != currentPage(sizeClass) && usedPlain(page) != 0 && collectThreadFree(page) > 0
                        && usedPlain(page) == 0) {
                    pageEmptied(page);
                }
                page = next;
            }
        }
    }

    /**
     * Takes over the heap of a dead thread, or revisits an abandoned heap: collects remote frees,
     * releases every empty page, arms notification on the others so that later remote frees are
     * seen, and purges. Caller has set the state to {@link #BUSY}.
     */
    void reclaim(long now, boolean ownerJustDied) {
        if (ownerJustDied) {
            owner = null;
            setOwnerThreadId(SegmentDescriptor.NO_OWNER);
            setOwnerOfSegments(SegmentDescriptor.NO_OWNER);
            settleAllPages(now);
        }
        collectNotified();
        collectRemoteMessages();
        lock.lock();
        try {
            purgeExpired(now);
        } finally {
            lock.unlock();
        }
    }

    /** Visits every page once, when the owner died: later, notifications say which pages changed. */
    private void settleAllPages(long now) {
        for (long segment : segmentsSnapshot()) {
            int pageCount = SegmentDescriptor.pageCount(segment);
            for (int pageIndex = 0; pageIndex < pageCount; pageIndex++) {
                long page = SegmentDescriptor.pageDescriptor(segment, pageIndex);
                int pageState = PageDescriptor.state(page);
                if (pageState == ACTIVE || pageState == FULL) {
                    reclaimPage(page, now);
                }
            }
        }
    }

    /**
     * Settles one page of a heap without owner: collects its remote frees, releases it if empty,
     * and otherwise arms {@link PageDescriptor#NOTIFY} so that the next remote free is seen.
     */
    private void reclaimPage(long page, long now) {
        int sizeClass = PageDescriptor.sizeClass(page);
        while (true) {
            collectThreadFree(page);
            if (PageDescriptor.state(page) == FULL && (freeListPlain(page) != 0 || usedPlain(page) == 0)) {
                PageDescriptor.setState(page, ACTIVE);
                appendToQueue(page, sizeClass);
            }
            if (usedPlain(page) == 0) {
                releasePage(page, sizeClass, now);
                return;
            }
            long threadFree = PageDescriptor.threadFreeVolatile(page);
            if (threadFree == NOTIFY || (threadFree == 0 && PageDescriptor.casThreadFree(page, 0, NOTIFY))) {
                return;
            }
            // a remote free slipped in before the flag was set: collect it and try again
        }
    }

    /** Gives this heap to a new thread. Caller has set the state to {@link #BUSY}. */
    void adopt(Thread thread) {
        owner = thread;
        setOwnerThreadId(thread.threadId());
        setOwnerOfSegments(thread.threadId());
        lastTickNanos = System.nanoTime();
    }

    private void setOwnerOfSegments(long threadId) {
        for (long segment : segmentsSnapshot()) {
            SegmentDescriptor.setOwnerThreadIdRelease(segment, threadId);
        }
    }

    private long[] segmentsSnapshot() {
        lock.lock();
        try {
            return segments.toArray();
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether maintenance has work here: notified pages or a purge list. */
    boolean hasPendingWork() {
        // Racy reads of the owner's fields: a stale answer only delays the purger by one sleep.
        if (notified.get() != 0) {
            return true;
        }
        for (long head : purgeHeads) {
            if (head != 0) {
                return true;
            }
        }
        return false;
    }

    private String describePage(long page) {
        return "page 0x" + Long.toHexString(page) + " class " + PageDescriptor.sizeClass(page) + " capacity "
                + PageDescriptor.capacity(page) + " used " + usedPlain(page);
    }
}
