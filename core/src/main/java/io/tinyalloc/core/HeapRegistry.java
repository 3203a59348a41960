package io.tinyalloc.core;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds the heap of the calling thread. A platform thread gets a heap of its own, through a
 * {@link ThreadLocal}: the heap of a dead thread if there is one to adopt, else a new one. Virtual
 * threads share a fixed number of heaps, chosen by thread id and used under their lock, so that
 * thousands of virtual threads do not make thousands of heaps.
 */
final class HeapRegistry {

    private final EngineAllocator engine;
    private final Heap[] shared;
    private final ReentrantLock growLock = new ReentrantLock();
    /** Every heap, by index. Copy-on-write: read without locking by remote frees and maintenance. */
    private volatile Heap[] heaps;

    /** Slots of the caches below: a power of two, a few times the threads that allocate at once. */
    private static final int RECENT_SLOTS = 64;

    /**
     * A direct-mapped cache in front of the {@link ThreadLocal}, by thread id, of each heap's
     * {@link Heap#fastTable}: the allocation fast path finds its table with one array load and a
     * compare instead of a hash probe, and reads its page from the same array. A slot is written
     * by the thread whose id maps to it and read by that thread; a stale or overwritten slot fails
     * the owner check and falls back to the ThreadLocal. The check is safe without ordering: a
     * table's owner slot equals the caller's id only if the caller wrote it, and ids are never
     * reused. The engine reads the array directly ({@link #cachedTable}), one load less.
     */
    final long[][] recentTables = new long[RECENT_SLOTS][];
    /** The heaps of {@link #recentTables}, slot for slot, for the slow paths. */
    private final Heap[] recentHeaps = new Heap[RECENT_SLOTS];

    private final ThreadLocal<Heap> local = new ThreadLocal<>() {
        @Override
        protected Heap initialValue() {
            return acquireForCurrentThread();
        }
    };

    HeapRegistry(EngineAllocator engine, int sharedHeaps) {
        this.engine = engine;
        this.shared = new Heap[sharedHeaps];
        for (int i = 0; i < sharedHeaps; i++) {
            shared[i] = new Heap(engine, i, null);
        }
        this.heaps = shared.clone();
    }

    /**
     * Returns the fast table of the calling thread's heap from the cache, or null if it is not
     * there (then {@link #local()} finds the heap, and caches it).
     *
     * @param recentTables {@link #recentTables}
     * @param threadId the calling thread's id
     */
    static long[] cachedTable(long[][] recentTables, long threadId) {
        // Masked with the array's own length (RECENT_SLOTS), so that the JIT drops the bounds check.
        long[] table = recentTables[(int) threadId & (recentTables.length - 1)];
        return table != null && table[Heap.OWNER_SLOT] == threadId ? table : null;
    }

    /** The heap of the calling platform thread, for the slow paths. */
    Heap local() {
        long threadId = Thread.currentThread().threadId();
        int slot = (int) threadId & (RECENT_SLOTS - 1);
        Heap heap = recentHeaps[slot];
        if (heap != null && heap.ownerThreadIdPlain() == threadId) {
            return heap;
        }
        heap = local.get();
        recentHeaps[slot] = heap;
        recentTables[slot] = heap.fastTable;
        return heap;
    }

    /** The shared heap for a virtual thread; use it under its lock. */
    Heap sharedFor(Thread thread) {
        return shared[(int) Long.remainderUnsigned(thread.threadId(), shared.length)];
    }

    Heap byIndex(int index) {
        return heaps[index];
    }

    Heap[] all() {
        return heaps;
    }

    private Heap acquireForCurrentThread() {
        Thread thread = Thread.currentThread();
        Heap adopted = adoptUnowned(thread);
        return adopted != null ? adopted : newHeap(thread);
    }

    /** Takes over an abandoned heap, or the heap of a thread that died, if there is one. */
    private Heap adoptUnowned(Thread thread) {
        for (Heap heap : heaps) {
            int state = heap.state.get();
            Thread owner = heap.owner(); // read once: maintenance may clear it meanwhile
            boolean claimed = state == Heap.ABANDONED ? heap.state.compareAndSet(Heap.ABANDONED, Heap.BUSY)
                    : state == Heap.OWNED && owner != null && !owner.isAlive() && heap.claimFromDeadOwner(owner);
            if (claimed) {
                if (state == Heap.OWNED) {
                    // Settle the dead thread's pages first, as maintenance would have.
                    heap.reclaim(System.nanoTime(), true);
                }
                heap.adopt(thread);
                heap.state.set(Heap.OWNED);
                return heap;
            }
        }
        return null;
    }

    private Heap newHeap(Thread thread) {
        growLock.lock();
        try {
            Heap[] current = heaps;
            Heap heap = new Heap(engine, current.length, thread);
            Heap[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = heap;
            heaps = grown;
            return heap;
        } finally {
            growLock.unlock();
        }
    }

    /** The number of heaps made so far: bounded by the threads alive at once plus the shared heaps. */
    int heapCount() {
        return heaps.length;
    }
}
