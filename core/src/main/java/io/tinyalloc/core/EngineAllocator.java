package io.tinyalloc.core;

import static io.tinyalloc.core.NativeMemory.putLongPlain;
import static io.tinyalloc.core.PageDescriptor.NOTIFY;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import io.tinyalloc.spi.PurgePolicy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The allocator: the fast paths of {@link Allocator}, and the shared state that heaps use on
 * their slow paths.
 *
 * <p>Small allocations on a platform thread pop the free list of the current page of their
 * class in the thread's own heap; small frees on the owning thread push onto it. Neither takes a
 * lock, makes an atomic operation or a downcall, or allocates on the Java heap. A free from
 * another thread pushes the block on the page's thread-free list with one CAS. Virtual threads
 * share a few heaps, under a lock. Large allocations go to {@link LargeBlocks}.
 */
final class EngineAllocator implements Allocator {

    private static final AtomicLong INSTANCES = new AtomicLong();
    /** "tinyallo" in ASCII: the first bytes of every segment of an engine, mixed with its number. */
    private static final long MAGIC_BASE = 0x74696e79616c6c6fL;

    final SizeClassTable table;
    final int[] pageShifts;
    final long segmentByteSize;
    final long osPageByteSize;
    final long purgeDelayNanos;
    final long tickIntervalNanos;
    /**
     * How long an emptied page stays with its class before it goes back to its segment, where any
     * class can have it: at most a tick, so that a long purge delay does not keep pages from
     * other classes.
     */
    final long retireNanos;
    final long magic;
    /** A page descriptor that never has a free block: the current page of classes without one. */
    final long emptyPage;

    private final PlatformMemory platform;
    private final PageLookup lookup;
    private final boolean purgeByDecommit;
    private final long maxByteAlignment;
    private final String description;
    private final SegmentMap segmentMap;
    private final SegmentSource segmentSource;
    private final LargeBlocks large;
    private final HeapRegistry heaps;
    /** {@link HeapRegistry#recentTables}, held here to save the fast path a load. */
    private final long[][] recentTables;
    private final Set<Long> smallSegments = ConcurrentHashMap.newKeySet();
    private final LongAdder crossThreadFrees = new LongAdder();
    private final PurgeCounters purgeCounters = new PurgeCounters();
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final Arena metadataArena = Arena.ofShared();
    private final Purger purger;
    private volatile long lastMaintenanceNanos;
    private volatile boolean closed;

    EngineAllocator(EngineSettings settings, PlatformMemory platform, SizeClassTable table, PageLookup lookup,
            PurgePolicy purgePolicy) {
        this.platform = platform;
        this.lookup = lookup;
        this.table = table;
        this.segmentByteSize = settings.segmentByteSize();
        this.osPageByteSize = platform.pageByteSize();
        this.pageShifts = settings.pageByteSizes().stream().mapToInt(size -> Bits.log2(size)).toArray();
        this.purgeDelayNanos = purgePolicy.purgeDelayNanos();
        this.tickIntervalNanos = tickInterval(purgeDelayNanos);
        this.retireNanos = Math.min(purgeDelayNanos, tickIntervalNanos);
        this.purgeByDecommit = purgePolicy.purgeKind() == PurgePolicy.PurgeKind.DECOMMIT;
        this.maxByteAlignment = segmentByteSize / 2;
        this.description = settings.description();
        this.magic = MAGIC_BASE ^ INSTANCES.incrementAndGet();
        this.emptyPage = metadataArena.allocate(PageDescriptor.BYTE_SIZE, Long.BYTES).address();
        this.segmentMap = new SegmentMap(platform, lookup, segmentByteSize);
        this.segmentSource = new SegmentSource(platform, segmentMap, segmentByteSize, settings.arenaByteSize());
        this.large = new LargeBlocks(platform, segmentMap, magic, settings, purgeDelayNanos, purgeByDecommit,
                purgeCounters);
        this.heaps = new HeapRegistry(this, settings.virtualThreadHeaps());
        this.recentTables = heaps.recentTables;
        this.purger = settings.backgroundPurge() ? new Purger(this, "tinyalloc-purger-" + (magic ^ MAGIC_BASE)) : null;
        if (purger != null) {
            purger.start();
        }
    }

    /** The shortest tick: more often than this, maintenance would cost more than it gives back. */
    private static final long MIN_TICK_INTERVAL_NANOS = 1_000_000L;
    /** The longest tick: dead threads' heaps and the large cache are looked after at least this often. */
    private static final long MAX_TICK_INTERVAL_NANOS = 100_000_000L;

    /** Maintenance runs this often: half the purge delay, within bounds. */
    private static long tickInterval(long purgeDelayNanos) {
        if (purgeDelayNanos == PurgePolicy.NEVER) {
            return MAX_TICK_INTERVAL_NANOS;
        }
        return Math.clamp(purgeDelayNanos / 2, MIN_TICK_INTERVAL_NANOS, MAX_TICK_INTERVAL_NANOS);
    }

    // ------------------------------------------------------------------ Allocator: allocation

    @Override
    public long allocate(long byteSize) {
        if (Long.compareUnsigned(byteSize, table.maxSmallByteSize()) <= 0) {
            return allocateSmall(table.classOf(byteSize));
        }
        return allocateLarge(byteSize, MIN_BYTE_ALIGNMENT);
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        checkAlignment(byteAlignment);
        if (byteAlignment <= SizeClassTable.GRANULE) {
            return allocate(byteSize);
        }
        checkSize(byteSize);
        int sizeClass = table.alignedClassOf(Math.max(byteSize, byteAlignment), byteAlignment, osPageByteSize);
        if (sizeClass >= 0) {
            return allocateSmall(sizeClass);
        }
        return allocateLarge(byteSize, byteAlignment);
    }

    /**
     * The fast path: a pop from the current page of the class, in the table of the calling
     * thread's heap. A hit in the table cache also means a platform thread (virtual threads own
     * no heap), so that check waits for a miss.
     */
    private long allocateSmall(int sizeClass) {
        checkOpen();
        long[] table = HeapRegistry.cachedTable(recentTables, Thread.currentThread().threadId());
        if (table == null) {
            return allocateSmallUncached(sizeClass);
        }
        long block = PageDescriptor.popBlockPlain(table[Heap.FIRST_PAGE_SLOT + sizeClass]);
        return block != 0 ? block : allocateSlow(heaps.local(), sizeClass);
    }

    private long allocateSmallUncached(int sizeClass) {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            return allocateShared(heaps.sharedFor(thread), sizeClass);
        }
        return allocateFrom(heaps.local(), sizeClass);
    }

    private long allocateShared(Heap heap, int sizeClass) {
        heap.lock.lock();
        try {
            checkOpen();
            return allocateFrom(heap, sizeClass);
        } finally {
            heap.lock.unlock();
        }
    }

    /** A pop from the current page of the class, else the slow path. Caller owns the heap. */
    private long allocateFrom(Heap heap, int sizeClass) {
        long block = PageDescriptor.popBlockPlain(heap.currentPage(sizeClass));
        return block != 0 ? block : allocateSlow(heap, sizeClass);
    }

    private long allocateSlow(Heap heap, int sizeClass) {
        try {
            return heap.allocateSlow(sizeClass);
        } catch (PlatformMemoryException e) {
            throw failed(table.blockByteSize(sizeClass), e);
        }
    }

    private long allocateLarge(long byteSize, long byteAlignment) {
        checkSize(byteSize);
        checkOpen();
        long regionByteSize = large.regionByteSize(byteSize, byteAlignment);
        if (regionByteSize < 0) {
            throw new AllocationFailedException(byteSize, "larger than the address space",
                    AllocationFailedException.NO_ERRNO, reservedBytes(), committedBytes(), null);
        }
        try {
            return large.allocate(byteAlignment, regionByteSize);
        } catch (PlatformMemoryException e) {
            throw failed(byteSize, e);
        }
    }

    private AllocationFailedException failed(long byteSize, PlatformMemoryException cause) {
        return new AllocationFailedException(byteSize, cause.getMessage(), cause.errno(), reservedBytes(),
                committedBytes(), cause);
    }

    @Override
    public long allocateZeroed(long byteSize) {
        if (Long.compareUnsigned(byteSize, table.maxSmallByteSize()) > 0) {
            long address = allocateLarge(byteSize, MIN_BYTE_ALIGNMENT);
            if (large.mayBeDirty(segmentOfBlock(address, "allocateZeroed"))) {
                NativeMemory.fill(address, byteSize, (byte) 0);
            }
            return address;
        }
        long address = allocate(byteSize);
        NativeMemory.zeroWords(address, byteSize);
        return address;
    }

    @Override
    public long reallocate(long address, long byteSize) {
        if (address == 0) {
            return allocate(byteSize);
        }
        checkSize(byteSize);
        checkOpen();
        long segment = segmentOfBlock(address, "reallocate");
        long usable = usableSizeIn(segment, address);
        if (byteSize <= usable && byteSize >= usable / 2) {
            return address;
        }
        long moved = allocate(byteSize);
        NativeMemory.copy(address, moved, Math.min(usable, byteSize));
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            large.freeAfterMove(segment, address);
        } else {
            free(address);
        }
        return moved;
    }

    @Override
    public MemorySegment allocateSegment(long byteSize, long byteAlignment) {
        return MemorySegment.ofAddress(allocate(byteSize, byteAlignment)).reinterpret(byteSize);
    }

    // ------------------------------------------------------------------ Allocator: free

    @Override
    public void free(long address) {
        if (address == 0) {
            return;
        }
        checkOpen();
        long segment = segmentOfBlock(address, "free");
        long owner = SegmentDescriptor.ownerOpaque(segment);
        if (SegmentDescriptor.isOwnedBy(owner, Thread.currentThread().threadId())) {
            long page = SegmentDescriptor.pageDescriptorOf(segment, address, owner);
            if (PageDescriptor.pushBlockPlain(page, address)) {
                heaps.local().localFreeSlow(page);
            }
            return;
        }
        freeNotOwned(segment, address);
    }

    /**
     * A large block, a block of a shared heap freed by a virtual thread (freed under the heap's
     * lock, as the owner would), or a block of a heap that the calling thread does not own.
     */
    private void freeNotOwned(long segment, long address) {
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            large.free(segment, address);
            return;
        }
        long page = SegmentDescriptor.pageDescriptorOf(segment, address);
        if (Thread.currentThread().isVirtual()) {
            Heap heap = heaps.byIndex(SegmentDescriptor.heapIndex(segment));
            if (heap.isShared()) {
                freeShared(heap, page, address);
                return;
            }
        }
        freeRemote(segment, page, address);
    }

    private static void freeShared(Heap heap, long page, long address) {
        heap.lock.lock();
        try {
            if (PageDescriptor.pushBlockPlain(page, address)) {
                heap.localFreeSlow(page);
            }
        } finally {
            heap.lock.unlock();
        }
    }

    /** Pushes a block on its page's thread-free list, for the page's owner to collect. */
    private void freeRemote(long segment, long page, long address) {
        // Counted before the push, so that the owner, which subtracts what it collects, never sees
        // more blocks than were counted.
        PageDescriptor.addPendingRemote(page, 1);
        long threadFree;
        do {
            threadFree = PageDescriptor.threadFreeVolatile(page);
            putLongPlain(address, threadFree & ~NOTIFY);
        } while (!PageDescriptor.casThreadFree(page, threadFree, address));
        crossThreadFrees.increment();
        if ((threadFree & NOTIFY) != 0) {
            heaps.byIndex(SegmentDescriptor.heapIndex(segment)).pushNotified(page);
        }
    }

    @Override
    public void free(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("not a native segment: " + segment);
        }
        free(segment.address());
    }

    /**
     * Returns the segment of a block, after checking that it is one of this engine's: the header is
     * read only then.
     *
     * @throws IllegalArgumentException if no segment of this allocator holds {@code address}
     */
    private long segmentOfBlock(long address, String call) {
        long segment = lookup.segmentOf(address);
        if (!segmentMap.containsPlain(segment)) {
            throw notOurs(address, call);
        }
        return segment;
    }

    /** Kept out of {@link #segmentOfBlock} so that the check stays small enough to inline. */
    private IllegalArgumentException notOurs(long address, String call) {
        return new IllegalArgumentException(call + "(0x" + Long.toHexString(address)
                + "): not an address this allocator returned (expected: a live block of " + this + ")");
    }

    @Override
    public long usableSize(long address) {
        checkOpen();
        return usableSizeIn(segmentOfBlock(address, "usableSize"), address);
    }

    private long usableSizeIn(long segment, long address) {
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            return large.usableSize(segment, address);
        }
        return PageDescriptor.blockSize(SegmentDescriptor.pageDescriptorOf(segment, address));
    }

    // ------------------------------------------------------------------ checks

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator is closed: " + description);
        }
    }

    private static void checkSize(long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize: " + byteSize + " (expected: 0 or more)");
        }
    }

    private void checkAlignment(long byteAlignment) {
        if (!Bits.isPowerOfTwo(byteAlignment) || byteAlignment > maxByteAlignment) {
            throw new IllegalArgumentException("byteAlignment: " + byteAlignment + " (expected: a power of two up to "
                    + Bits.formatBytes(maxByteAlignment) + ", half the segment size)");
        }
    }

    // ------------------------------------------------------------------ for heaps: segments and pages

    long acquireSegment() {
        return segmentSource.acquire();
    }

    void registerSegment(long segment) {
        smallSegments.add(segment);
    }

    void releaseSegment(long segment) {
        smallSegments.remove(segment);
        segmentSource.release(segment);
    }

    void commit(long address, long byteSize) {
        platform.commit(address, byteSize);
    }

    /** The segment of a page descriptor: segments are aligned to their size and hold their descriptors. */
    long segmentOfPage(long page) {
        return page & -segmentByteSize;
    }

    int pageIndex(long segment, long page) {
        return (int) ((page - segment - SegmentDescriptor.PAGES_OFFSET) / PageDescriptor.BYTE_SIZE);
    }

    long pageStart(long page) {
        long segment = segmentOfPage(page);
        return segment + ((long) pageIndex(segment, page) << SegmentDescriptor.pageShift(segment));
    }

    int pageKindOfShift(int pageShift) {
        for (int kind = 0; kind < pageShifts.length; kind++) {
            if (pageShifts[kind] == pageShift) {
                return kind;
            }
        }
        throw new IllegalStateException("no page kind of size " + (1L << pageShift));
    }

    /** Gives back the memory a free page touched; a failure is logged once and the page stays dirty. */
    void purgePage(long page) {
        long start = pageStart(page);
        long end = Bits.alignUp(PageDescriptor.dirtyEnd(page), osPageByteSize);
        if (end <= start) {
            PageDescriptor.forgetBlocks(page);
            return;
        }
        try {
            if (purgeByDecommit) {
                platform.decommit(start, end - start);
            } else {
                platform.reset(start, end - start);
            }
        } catch (PlatformMemoryException e) {
            PurgeFailures.log(e);
            return;
        }
        PageDescriptor.setDirtyEnd(page, start);
        PageDescriptor.forgetBlocks(page);
        purgeCounters.record(end - start);
    }

    /**
     * Engine-wide maintenance, at most once per tick interval: reclaims the heaps of dead threads,
     * revisits abandoned heaps, purges other heaps' free pages when their lock is free, and ages
     * the large cache. Returns whether anything is still waiting to be purged.
     */
    boolean maintain(long now, Heap caller) {
        if (closed || now - lastMaintenanceNanos < tickIntervalNanos || !maintenanceLock.tryLock()) {
            return true;
        }
        boolean pending = false;
        try {
            lastMaintenanceNanos = now;
            for (Heap heap : heaps.all()) {
                if (heap != caller) {
                    maintainHeap(heap, now);
                    pending |= heap.hasPendingWork();
                }
            }
            large.maintain(now);
            LargeBlocks.Figures figures = large.figures();
            pending |= figures.committedBytes() > figures.liveBytes();
        } finally {
            maintenanceLock.unlock();
        }
        return pending;
    }

    private void maintainHeap(Heap heap, long now) {
        switch (heap.state.get()) {
            case Heap.OWNED -> {
                Thread owner = heap.owner();
                if (owner != null && !owner.isAlive() && heap.state.compareAndSet(Heap.OWNED, Heap.BUSY)) {
                    reclaimAndRelease(heap, now, true);
                } else {
                    purgeFreePages(heap, now);
                }
            }
            case Heap.ABANDONED -> {
                if (heap.state.compareAndSet(Heap.ABANDONED, Heap.BUSY)) {
                    reclaimAndRelease(heap, now, false);
                }
            }
            case Heap.SHARED -> {
                if (heap.lock.tryLock()) {
                    try {
                        heap.tickLocal(now);
                    } finally {
                        heap.lock.unlock();
                    }
                }
            }
            default -> {
                // BUSY: someone else is adopting or reclaiming it
            }
        }
    }

    private static void reclaimAndRelease(Heap heap, long now, boolean ownerJustDied) {
        try {
            heap.reclaim(now, ownerJustDied);
        } finally {
            heap.state.set(Heap.ABANDONED);
        }
    }

    private static void purgeFreePages(Heap heap, long now) {
        if (heap.lock.tryLock()) {
            try {
                heap.purgeExpired(now);
            } finally {
                heap.lock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ stats, describe, close

    @Override
    public AllocatorStats stats() {
        checkOpen();
        return new StatsCollector(this, table, segmentSource.reservedBytes())
                .collect(smallSegments, large.figures(), crossThreadFrees.sum(), purgeCounters);
    }

    private long reservedBytes() {
        return segmentSource.reservedBytes() + large.figures().reservedBytes();
    }

    private long committedBytes() {
        return StatsCollector.smallCommittedBytes(this, smallSegments) + large.figures().committedBytes();
    }

    int heapCount() {
        return heaps.heapCount();
    }

    @Override
    public Arena ofConfined() {
        checkOpen();
        return Allocator.super.ofConfined();
    }

    @Override
    public Arena ofShared() {
        checkOpen();
        return Allocator.super.ofShared();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (purger != null) {
            purger.stop();
        }
        maintenanceLock.lock();
        try {
            large.releaseAll();
            segmentSource.releaseAll();
            segmentMap.release();
            smallSegments.clear();
            metadataArena.close();
        } finally {
            maintenanceLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "tinyalloc[" + description + "]";
    }
}
