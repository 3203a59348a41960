package io.tinyalloc.core;

import static io.tinyalloc.core.NativeMemory.getLongPlain;
import static io.tinyalloc.core.NativeMemory.putLongPlain;

import io.tinyalloc.spi.PageLookup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Batched remote frees ({@code remote-free.provider = batched}), after snmalloc's message
 * queues: a platform thread that frees a block of a heap it does not own appends it to its own
 * batch for that heap; a batch of {@link #batchSize} blocks is sent to the heap's inbox, a
 * lock-free stack, with one CAS; the heap's owner takes its whole inbox at once and frees each
 * block into its page as a local free ({@link Heap#collectRemoteMessages}).
 *
 * <p><b>Links.</b> A block in a batch or an inbox links the next one through its first word,
 * as a free list does, but with an encoding of its own ({@link #encode}): the next block's
 * address in the low {@link NativeMemory#ADDRESS_BITS} bits, a tag hashed from the block's own
 * address above, all xor-ed with a key derived from the engine's link key. Blocks of a batch lie
 * in many pages, so the free-list encoding (which mixes in the page) does not apply; and the
 * word never decodes as a free-list link, so the page's own checks ({@link BlockChecks}) never
 * walk a page's lists on its account.
 *
 * <p><b>Double frees</b> (with {@code checks = on}). A block waiting in a batch or an inbox is not
 * on its page's lists, so {@link BlockChecks} sees it as live. {@link #isWaiting} recognizes it
 * instead by its first word: the tag must match the block's address and the link must be 0 or
 * an address of this engine. Live data passes that test by coincidence about once in 2^16 times
 * the fraction of the address space the engine maps (so about once in 2^36 for 1 GiB mapped);
 * such a free is then refused as a double free. There is no list walk to rule the coincidence
 * out: the batch may be another thread's, which is not safe to read.
 *
 * <p><b>Batches that stop growing.</b> A batch is sent when it is full, when its thread next
 * allocates on a slow path ({@link #flushCurrentThread}), and at every maintenance pass
 * ({@link #flushAll}), which the background purger runs too: each thread's batches are guarded
 * by a claim word, taken with one CAS by the thread on each append and by maintenance to
 * flush them, so that a thread that stopped freeing (or died) does not hold memory for longer
 * than a tick. Maintenance forgets the batches of threads that died once they are empty. What
 * remains: an inbox is taken by its heap's owner on its slow path and its ticks, and by
 * maintenance only when the heap has no owner, so a live owner that stops allocating keeps its
 * inbox until it allocates again (as it keeps its pages' per-page lists).
 *
 * <p><b>Statistics.</b> Each block counts as pending on its page from the moment it is appended
 * ({@link PageDescriptor#addPendingRemote}) until its owner frees it locally, exactly as a
 * per-page remote free does, so {@code stats()} stays exact whatever batch or inbox the block
 * waits in. That add is the one atomic operation per block that batching keeps.
 */
final class RemoteFreeBatches {

    /** Where the tag starts in a decoded link: above every block address. */
    private static final int TAG_SHIFT = NativeMemory.ADDRESS_BITS;
    private static final long ADDRESS_MASK = (1L << TAG_SHIFT) - 1;
    /** Fibonacci hashing's multiplier: spreads a block's address into its tag. */
    private static final long TAG_MULTIPLIER = 0x9E3779B97F4A7C15L;
    /** Mixed into the engine's link key so that batch links and free-list links never share a key. */
    private static final long BATCH_KEY_SALT = 0x62617463686564L; // "batched"
    /** The rotation that separates the batch key from the link key further. */
    private static final int BATCH_KEY_ROTATION = 29;
    /** A heap's inbox array grows by at least this many slots at a time. */
    private static final int MIN_GROWTH = 8;

    private static final int UNCLAIMED = 0;
    private static final int CLAIMED = 1;

    final int batchSize;
    private final long batchKey;
    private final PageLookup lookup;
    /** Whether an address lies in one of this engine's segments: {@link #isWaiting}'s test of a link. */
    private final LongPredicate isEngineAddress;
    /** Every thread's batches, for {@link #flushAll}. */
    private final Set<ThreadBatches> allThreads = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ThreadBatches> local = ThreadLocal.withInitial(this::register);
    /** Per heap index, the heap's inbox: the head of a stack of blocks, 0 when empty. Copy-on-write. */
    private volatile AtomicLong[] inboxes = new AtomicLong[0];

    RemoteFreeBatches(int batchSize, long linkKey, PageLookup lookup, LongPredicate isEngineAddress) {
        this.batchSize = batchSize;
        this.batchKey = Long.rotateLeft(linkKey, BATCH_KEY_ROTATION) ^ BATCH_KEY_SALT;
        this.lookup = lookup;
        this.isEngineAddress = isEngineAddress;
    }

    // ------------------------------------------------------------------ links

    private long encode(long block, long next) {
        return (next | tagOf(block)) ^ batchKey;
    }

    /** The next block of a batch or an inbox, 0 at the end. */
    long next(long block) {
        return (getLongPlain(block) ^ batchKey) & ADDRESS_MASK;
    }

    private static long tagOf(long block) {
        return (block * TAG_MULTIPLIER) & ~ADDRESS_MASK;
    }

    /**
     * Returns whether a block looks like it waits in a batch or an inbox: a double free if it is
     * freed again. See the class comment for how often live data looks so by coincidence.
     */
    boolean isWaiting(long block) {
        long decoded = getLongPlain(block) ^ batchKey;
        if ((decoded & ~ADDRESS_MASK) != tagOf(block)) {
            return false;
        }
        long next = decoded & ADDRESS_MASK;
        return next == 0 || isEngineAddress.test(next);
    }

    /** The page descriptor of a block that waited in an inbox: its page cannot have changed, it holds the block. */
    long pageOf(long block) {
        return SegmentDescriptor.pageDescriptorOf(lookup.segmentOf(block), block);
    }

    // ------------------------------------------------------------------ freeing threads

    /**
     * Appends a block of {@code page}, in a segment of heap {@code heapIndex}, to the calling
     * platform thread's batch for that heap, and sends the batch if it is full. The caller has
     * checked that the block is live.
     */
    void add(int heapIndex, long page, long block) {
        // Counted before the block can reach its owner, who subtracts it: see the class comment.
        PageDescriptor.addPendingRemote(page, 1);
        ThreadBatches batches = local.get();
        batches.claim();
        try {
            if (batches.append(heapIndex, block, this) >= batchSize) {
                send(batches, heapIndex);
            }
        } finally {
            batches.release();
        }
    }

    /** Sends the calling thread's batches, if it has any: called on its allocation slow path. */
    void flushCurrentThread() {
        ThreadBatches batches = local.get();
        // Racy read (maintenance may be flushing): a stale 0 leaves the batches to the next tick,
        // a stale count costs a claim that finds nothing to send.
        if (batches.waiting == 0) {
            return;
        }
        batches.claim();
        try {
            sendAll(batches);
        } finally {
            batches.release();
        }
    }

    /**
     * Sends every thread's batches that are not being appended to right now, and forgets the
     * batches of threads that died once they are empty. Called by maintenance, from any thread.
     */
    void flushAll() {
        for (ThreadBatches batches : allThreads) {
            if (!batches.tryClaim()) {
                continue; // its thread is appending: it will send when full, or at the next tick
            }
            try {
                sendAll(batches);
                if (!batches.thread.isAlive()) {
                    allThreads.remove(batches);
                }
            } finally {
                batches.release();
            }
        }
    }

    private void sendAll(ThreadBatches batches) {
        for (int heapIndex = 0; heapIndex < batches.counts.length && batches.waiting > 0; heapIndex++) {
            if (batches.counts[heapIndex] > 0) {
                send(batches, heapIndex);
            }
        }
    }

    /** Pushes a whole batch on its heap's inbox with one CAS: the batch's tail links the old head. */
    private void send(ThreadBatches batches, int heapIndex) {
        long head = batches.heads[heapIndex];
        long tail = batches.tails[heapIndex];
        AtomicLong inbox = inbox(heapIndex);
        long oldHead;
        do {
            oldHead = inbox.get();
            putLongPlain(tail, encode(tail, oldHead)); // published by the CAS below
        } while (!inbox.compareAndSet(oldHead, head));
        batches.waiting -= batches.counts[heapIndex];
        batches.heads[heapIndex] = 0;
        batches.tails[heapIndex] = 0;
        batches.counts[heapIndex] = 0;
    }

    // ------------------------------------------------------------------ owning heaps

    /**
     * Takes everything in a heap's inbox, for its owner (or whoever holds the heap): the first
     * block, whose links lead through the rest ({@link #next}), or 0 if it is empty.
     */
    long takeInbox(int heapIndex) {
        AtomicLong[] current = inboxes;
        if (heapIndex >= current.length) {
            return 0;
        }
        AtomicLong inbox = current[heapIndex];
        return inbox.get() == 0 ? 0 : inbox.getAndSet(0);
    }

    private AtomicLong inbox(int heapIndex) {
        AtomicLong[] current = inboxes;
        return heapIndex < current.length ? current[heapIndex] : grow(heapIndex);
    }

    private synchronized AtomicLong grow(int heapIndex) {
        AtomicLong[] current = inboxes;
        if (heapIndex < current.length) {
            return current[heapIndex];
        }
        AtomicLong[] grown = Arrays.copyOf(current, Math.max(heapIndex + 1, current.length + MIN_GROWTH));
        for (int i = current.length; i < grown.length; i++) {
            grown[i] = new AtomicLong();
        }
        inboxes = grown;
        return grown[heapIndex];
    }

    private ThreadBatches register() {
        ThreadBatches batches = new ThreadBatches(Thread.currentThread());
        allThreads.add(batches);
        return batches;
    }

    /**
     * One thread's batches, one per destination heap index. Its thread and maintenance touch the
     * arrays only while they hold {@link #claim}: the CAS that takes it and the release store
     * that frees it order every access, so plain accesses suffice.
     */
    private static final class ThreadBatches {

        private static final VarHandle CLAIM;

        static {
            try {
                CLAIM = MethodHandles.lookup().findVarHandle(ThreadBatches.class, "claim", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        long[] heads = new long[0];
        long[] tails = new long[0];
        int[] counts = new int[0];
        /** Blocks in all of this thread's batches. */
        int waiting;
        @SuppressWarnings("unused") // accessed through CLAIM
        private volatile int claim;

        ThreadBatches(Thread thread) {
            this.thread = thread;
        }

        /** Takes the claim, waiting for maintenance to finish a flush: a few CAS at most. */
        void claim() {
            while (!tryClaim()) {
                Thread.onSpinWait();
            }
        }

        boolean tryClaim() {
            return CLAIM.compareAndSet(this, UNCLAIMED, CLAIMED);
        }

        void release() {
            CLAIM.setRelease(this, UNCLAIMED);
        }

        /** Pushes a block on the batch of a heap; returns the batch's new size. Caller holds the claim. */
        int append(int heapIndex, long block, RemoteFreeBatches owner) {
            if (heapIndex >= counts.length) {
                int length = Math.max(heapIndex + 1, counts.length + MIN_GROWTH);
                heads = Arrays.copyOf(heads, length);
                tails = Arrays.copyOf(tails, length);
                counts = Arrays.copyOf(counts, length);
            }
            long head = heads[heapIndex];
            putLongPlain(block, owner.encode(block, head));
            if (head == 0) {
                tails[heapIndex] = block;
            }
            heads[heapIndex] = block;
            waiting++;
            return ++counts[heapIndex];
        }
    }
}
