package io.tinyalloc.core;

import static io.tinyalloc.core.PageDescriptor.NOTIFY;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.LeakReport;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.RemoteFree;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger("io.tinyalloc");
    private static final String LEAK_DETECTION_SAMPLED = "sampled";
    /** The owner's free: check and push in one pass (checks on, the default). */
    private static final int CHECKED_FREE = 0;
    /** The owner's free: push only (checks off). */
    private static final int PLAIN_FREE = 1;
    /** The owner's free: each check on its own, out of line (hardened mode, batched remote frees). */
    private static final int CAREFUL_FREE = 2;
    /** {@link #freeMode} and {@link #allocationMode} once {@code close()} has begun. */
    private static final int CLOSED = -1;
    /** A small allocation: from the thread's table cache, the plain pop (the default). */
    private static final int TABLE_ALLOCATION = 0;
    /** A small allocation in hardened mode: the checked pop, then a canary. */
    private static final int SECURE_ALLOCATION = 1;
    /** Fibonacci hashing's multiplier: mixes a block address into its canary. */
    private static final long CANARY_MULTIPLIER = 0x9E3779B97F4A7C15L;
    /** Every open engine: consulted only to explain an address that is not this engine's. */
    private static final Set<EngineAllocator> OPEN_ENGINES = ConcurrentHashMap.newKeySet();
    /** "tinyallo" in ASCII: the first bytes of every segment of an engine, mixed with its number. */
    private static final long MAGIC_BASE = 0x74696e79616c6c6fL;

    final SizeClassTable table;
    final int[] pageShifts;
    final long segmentByteSize;
    final long osPageByteSize;
    final long purgeDelayNanos;
    /**
     * How long after it emptied reset memory is decommitted: the purge delay plus the policy's
     * {@link PurgePolicy#decommitDelayNanos() decommit delay} for a two-phase policy, else
     * {@link PurgePolicy#NEVER} (memory is purged once, by the policy's kind).
     */
    final long decommitAfterNanos;
    final long tickIntervalNanos;
    /**
     * How long an emptied page stays with its class before it goes back to its segment, where any
     * class can have it: at most a tick, so that a long purge delay does not keep pages from
     * other classes.
     */
    final long retireNanos;
    final long magic;
    /** The random key that free-list links are encoded with ({@link PageDescriptor#encodeLink}). */
    final long linkKey;
    /** A page descriptor that never has a free block: the current page of classes without one. */
    final long emptyPage;
    /**
     * {@link PageSelection.Order#LOWEST_ADDRESS}: class queues are kept in address order and free
     * pages are taken lowest first ({@link Heap}). Read on slow paths only.
     */
    final boolean lowestAddressFirst;

    private final PlatformMemory platform;
    private final PageLookup lookup;
    private final boolean purgeByDecommit;
    private final long maxByteAlignment;
    /** {@code checks = on}: misuse is detected by {@link BlockChecks} and thrown at the call. */
    private final boolean checks;
    /** How the owner frees: {@link #CHECKED_FREE}, {@link #PLAIN_FREE} or {@link #CAREFUL_FREE}. */
    private final int ownerFree;
    /*
     * The fast paths read one word each to know both that the allocator is open and which path
     * to take: a load fewer per call than reading `closed` and a mode apart.
     * Volatile for the same reason `closed` is: close() sets them first, then gives the memory back.
     */
    /** {@link #ownerFree}, or {@link #CLOSED}. */
    private volatile int freeMode;
    /** {@link #TABLE_ALLOCATION} or {@link #SECURE_ALLOCATION}, or {@link #CLOSED}. */
    private volatile int allocationMode;
    /**
     * {@code secure = on}: guard pages, free lists checked as they are followed, blocks handed
     * out in random order, canaries after small blocks. Implies {@link #checks}.
     */
    final boolean secure;
    /** The sites of sampled blocks with {@code leak-detection = sampled}, else null. */
    final LeakSites sampledSites;
    /** Bytes of large allocations so far, with {@code leak-detection = sampled}: every so many, one is tracked. */
    private final String description;
    private final SegmentMap segmentMap;
    private final MemoryLimit limit;
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
    /**
     * Batched remote frees ({@link RemoteFree.Delivery#BATCHED}, not in hardened mode), else null:
     * remote frees are then pushed per page, and no other path pays for the option.
     */
    final RemoteFreeBatches remoteFreeBatches;
    private volatile long lastMaintenanceNanos;
    private volatile boolean closed;

    EngineAllocator(EngineSettings settings, PlatformMemory platform, SizeClassTable table, PageLookup lookup,
            PurgePolicy purgePolicy, PageSelection pageSelection, RemoteFree remoteFree) {
        this.platform = platform;
        this.lowestAddressFirst = pageSelection.order() == PageSelection.Order.LOWEST_ADDRESS;
        this.lookup = lookup;
        this.table = table;
        this.segmentByteSize = settings.segmentByteSize();
        this.osPageByteSize = platform.pageByteSize();
        this.pageShifts = settings.pageByteSizes().stream().mapToInt(size -> Bits.log2(size)).toArray();
        this.purgeDelayNanos = purgePolicy.purgeDelayNanos();
        this.decommitAfterNanos = decommitAfter(purgePolicy);
        this.tickIntervalNanos = tickInterval(shortestPurgeStage(purgeDelayNanos, decommitAfterNanos));
        this.retireNanos = Math.min(purgeDelayNanos, tickIntervalNanos);
        this.purgeByDecommit = purgePolicy.purgeKind() == PurgePolicy.PurgeKind.DECOMMIT;
        this.maxByteAlignment = segmentByteSize / 2;
        this.description = settings.description();
        this.magic = MAGIC_BASE ^ INSTANCES.incrementAndGet();
        this.linkKey = new SecureRandom().nextLong();
        this.secure = settings.secure();
        this.checks = settings.checks() || secure;
        // Batched remote frees are off in hardened mode: see remoteFreeBatches below.
        this.ownerFree = secure || remoteFree.delivery() == RemoteFree.Delivery.BATCHED ? CAREFUL_FREE
                : checks ? CHECKED_FREE : PLAIN_FREE;
        this.freeMode = ownerFree;
        this.allocationMode = secure ? SECURE_ALLOCATION : TABLE_ALLOCATION;
        this.sampledSites = settings.leakDetection() == EngineSettings.LeakDetection.SAMPLED
                ? new LeakSites(LEAK_DETECTION_SAMPLED) : null;
        this.emptyPage = metadataArena.allocate(PageDescriptor.BYTE_SIZE, Long.BYTES).address();
        this.segmentMap = new SegmentMap(platform, lookup, segmentByteSize);
        this.limit = new MemoryLimit(settings.limitByteSize());
        this.segmentSource = new SegmentSource(platform, segmentMap, limit, purgeCounters.failures, segmentByteSize,
                settings.arenaByteSize());
        this.large = new LargeBlocks(platform, segmentMap, limit, magic, settings, purgeDelayNanos, decommitAfterNanos,
                purgeByDecommit, purgeCounters, this::purgeQueued, sampledSites);
        this.heaps = new HeapRegistry(this, settings.virtualThreadHeaps());
        this.recentTables = heaps.recentTables;
        this.remoteFreeBatches = remoteFree.delivery() == RemoteFree.Delivery.BATCHED && !secure
                ? new RemoteFreeBatches(remoteFree.batchSize(), linkKey, lookup,
                        address -> segmentMap.containsPlain(lookup.segmentOf(address)))
                : null;
        this.purger = settings.backgroundPurge() ? new Purger(this, "tinyalloc-purger-" + (magic ^ MAGIC_BASE)) : null;
        if (purger != null) {
            purger.start();
        }
        OPEN_ENGINES.add(this);
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
            return allocateSmall(table.classOf(byteSize), byteSize);
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
            return allocateSmall(sizeClass, byteSize);
        }
        return allocateLarge(byteSize, byteAlignment);
    }

    /**
     * The fast path: a pop from the current page of the class, in the table of the calling
     * thread's heap. A hit in the table cache also means a platform thread (virtual threads own
     * no heap), so that check waits for a miss.
     */
    private long allocateSmall(int sizeClass, long byteSize) {
        if (allocationMode != TABLE_ALLOCATION) {
            checkOpen();
            return withCanary(allocateSmallSecure(sizeClass, byteSize), sizeClass);
        }
        long[] table = HeapRegistry.cachedTable(recentTables, Thread.currentThread().threadId());
        if (table == null) {
            return allocateSmallUncached(sizeClass, byteSize);
        }
        long block = PageDescriptor.popBlockPlain(table[Heap.FIRST_PAGE_SLOT + sizeClass], linkKey);
        return block != 0 ? block : allocateSlow(heaps.local(), sizeClass, byteSize);
    }

    /** {@link #allocateSmall} in hardened mode: the same table cache, and a pop that checks the link it follows. */
    private long allocateSmallSecure(int sizeClass, long byteSize) {
        long[] table = HeapRegistry.cachedTable(recentTables, Thread.currentThread().threadId());
        if (table == null) {
            return allocateSmallUncached(sizeClass, byteSize);
        }
        long block = pop(table[Heap.FIRST_PAGE_SLOT + sizeClass]);
        return block != 0 ? block : allocateSlow(heaps.local(), sizeClass, byteSize);
    }

    private long allocateSmallUncached(int sizeClass, long byteSize) {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            return allocateShared(heaps.sharedFor(thread), sizeClass, byteSize);
        }
        return allocateFrom(heaps.local(), sizeClass, byteSize);
    }

    private long allocateShared(Heap heap, int sizeClass, long byteSize) {
        heap.lock.lock();
        try {
            checkOpen();
            return allocateFrom(heap, sizeClass, byteSize);
        } finally {
            heap.lock.unlock();
        }
    }

    /** A pop from the current page of the class, else the slow path. Caller owns the heap. */
    private long allocateFrom(Heap heap, int sizeClass, long byteSize) {
        long block = pop(heap.currentPage(sizeClass));
        return block != 0 ? block : allocateSlow(heap, sizeClass, byteSize);
    }

    private long allocateSlow(Heap heap, int sizeClass, long byteSize) {
        try {
            return heap.allocateSlow(sizeClass);
        } catch (PlatformMemoryException e) {
            throw failed(byteSize, e);
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
        checkOpen(address, "reallocate");
        long segment = segmentOfBlock(address, "reallocate");
        checkLive(segment, address, "reallocate");
        long usable = usableSizeIn(segment, address);
        if (byteSize <= usable && byteSize >= usable / 2) {
            return address;
        }
        long moved = allocate(byteSize);
        NativeMemory.copy(address, moved, Math.min(usable, byteSize));
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            freeLarge(segment, address, true);
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
        int mode = freeMode;
        if (mode == CLOSED) {
            throw closed(address, "free");
        }
        long segment = segmentOfBlock(address, "free");
        long owner = SegmentDescriptor.ownerOpaque(segment);
        if (SegmentDescriptor.isOwnedBy(owner, Thread.currentThread().threadId())) {
            long page = SegmentDescriptor.pageDescriptorOf(segment, address, owner);
            int pageShift = SegmentDescriptor.pageShiftOf(owner);
            if (mode == CHECKED_FREE) {
                int pushed = PageDescriptor.pushBlockCheckedPlain(page, address, linkKey, pageShift);
                if (pushed != PageDescriptor.PUSHED) {
                    afterCheckedPush(pushed, page, address, pageShift);
                }
                return;
            }
            forgetIfSampled(page, address);
            if (mode == PLAIN_FREE) {
                if (PageDescriptor.pushBlockPlain(page, address, linkKey)) {
                    heaps.local().localFreeSlow(page);
                }
                return;
            }
            freeOwnedCarefully(page, address, pageShift);
            return;
        }
        freeNotOwned(segment, address);
    }

    /**
     * The owner's free in hardened mode or with batched remote frees: each check on its own,
     * out of {@link #free(long)} so that the common paths stay small enough for C2 to inline the
     * whole free into its caller (a compiled method above its inlining size is called instead).
     */
    private void freeOwnedCarefully(long page, long address, int pageShift) {
        if (checks && (!BlockChecks.isLivePlain(page, address, pageShift, table, linkKey)
                || waitsInRemoteBatch(address))) {
            throw notLive(page, address, pageShift, "free");
        }
        if (secure) {
            checkCanary(page, address, "free");
        }
        if (PageDescriptor.pushBlockPlain(page, address, linkKey)) {
            heaps.local().localFreeSlow(page);
        }
    }

    /**
     * What a checked owner's free does when the push was not the common case. A tracked block is
     * forgotten after its push: on the owner's thread, nobody can have taken it again yet. A
     * marked page whose tracked blocks are all gone is unmarked here, by its owner, the only
     * thread that writes the mark.
     */
    private void afterCheckedPush(int pushed, long page, long address, int pageShift) {
        if (pushed == PageDescriptor.NOT_LIVE) {
            throw notLive(page, address, pageShift, "free");
        }
        if ((pushed & PageDescriptor.SAMPLED_PAGE) != 0 && sampledSites != null) {
            sampledSites.forget(address);
            if (!sampledSites.holdsTrackedBlocks(page)) {
                PageDescriptor.clearSampledPlain(page);
            }
        }
        if ((pushed & PageDescriptor.PUSHED_LOOK) != 0) {
            heaps.local().localFreeSlow(page);
        }
    }

    /**
     * Frees a large block, forgetting its site if it was sampled; {@code movedAway} when a
     * reallocation just copied it elsewhere ({@link LargeBlocks#freeAfterMove}).
     */
    private void freeLarge(long segment, long address, boolean movedAway) {
        if (sampledSites != null) {
            sampledSites.forget(address);
        }
        if (movedAway) {
            large.freeAfterMove(segment, address);
        } else {
            large.free(segment, address);
        }
    }

    /**
     * With {@code leak-detection = sampled}: forgets a block of a page that holds tracked blocks,
     * before the block is pushed (another thread may take it again right after).
     */
    private void forgetIfSampled(long page, long address) {
        if (sampledSites != null && PageDescriptor.isSampledOpaque(page)) {
            sampledSites.forget(address);
        }
    }

    /**
     * A large block, a block of a shared heap freed by a virtual thread (freed under the heap's
     * lock, as the owner would), or a block of a heap that the calling thread does not own.
     */
    private void freeNotOwned(long segment, long address) {
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            freeLarge(segment, address, false);
            return;
        }
        long page = SegmentDescriptor.pageDescriptorOf(segment, address);
        forgetIfSampled(page, address);
        if (Thread.currentThread().isVirtual()) {
            Heap heap = heaps.byIndex(SegmentDescriptor.heapIndex(segment));
            if (heap.isShared()) {
                freeShared(heap, segment, page, address);
                return;
            }
        }
        if (checks && (!BlockChecks.isLiveOpaque(page, address, SegmentDescriptor.pageShift(segment), table, linkKey)
                || waitsInRemoteBatch(address))) {
            throw notLive(page, address, SegmentDescriptor.pageShift(segment), "free");
        }
        if (secure) {
            checkCanary(page, address, "free");
        }
        freeRemote(segment, page, address);
    }

    private void freeShared(Heap heap, long segment, long page, long address) {
        heap.lock.lock();
        try {
            if (checks && (!BlockChecks.isLivePlain(page, address, SegmentDescriptor.pageShift(segment), table, linkKey)
                    || waitsInRemoteBatch(address))) {
                throw notLive(page, address, SegmentDescriptor.pageShift(segment), "free");
            }
            if (secure) {
                checkCanary(page, address, "free");
            }
            if (PageDescriptor.pushBlockPlain(page, address, linkKey)) {
                heap.localFreeSlow(page);
            }
        } finally {
            heap.lock.unlock();
        }
    }

    /**
     * Hands a block to its heap's owner: appended to the calling thread's batch for that heap
     * with {@code remote-free = batched} (platform threads), else pushed on its page's
     * thread-free list for the owner to collect.
     */
    private void freeRemote(long segment, long page, long address) {
        if (remoteFreeBatches != null && !Thread.currentThread().isVirtual()) {
            remoteFreeBatches.add(SegmentDescriptor.heapIndex(segment), page, address);
            crossThreadFrees.increment();
            return;
        }
        // Counted before the push, so that the owner, which subtracts what it collects, never sees
        // more blocks than were counted.
        PageDescriptor.addPendingRemote(page, 1);
        long threadFree;
        do {
            threadFree = PageDescriptor.threadFreeVolatile(page);
            PageDescriptor.setLinkPlain(page, address, threadFree & ~NOTIFY, linkKey);
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
        String prefix = call + "(0x" + Long.toHexString(address) + "): ";
        for (EngineAllocator other : OPEN_ENGINES) {
            if (other != this && other.mapsLocked(address)) {
                return new IllegalArgumentException(prefix + "a block of another allocator, " + other
                        + " (expected: a live block of this one, " + this + ")");
            }
        }
        return new IllegalArgumentException(prefix + "not an address this allocator returned (expected: a live block of "
                + this + ")");
    }

    /** Returns whether one of this engine's segments holds {@code address}; safe against a concurrent close. */
    private boolean mapsLocked(long address) {
        maintenanceLock.lock();
        try {
            return !closed && segmentMap.containsPlain(lookup.segmentOf(address));
        } finally {
            maintenanceLock.unlock();
        }
    }

    @Override
    public long usableSize(long address) {
        checkOpen(address, "usableSize");
        long segment = segmentOfBlock(address, "usableSize");
        checkLive(segment, address, "usableSize");
        return usableSizeIn(segment, address);
    }

    /**
     * With checks on, throws unless {@code address} is a live block of {@code segment}: the check
     * that {@code free} makes on its own paths, for the calls that read a block before freeing it.
     */
    private void checkLive(long segment, long address, String call) {
        if (!checks) {
            return;
        }
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            if (!large.isLive(segment, address)) {
                throw new IllegalArgumentException(call + "(0x" + Long.toHexString(address) + "): "
                        + large.problem(segment, address));
            }
            return;
        }
        int pageShift = SegmentDescriptor.pageShift(segment);
        long page = SegmentDescriptor.pageDescriptorOf(segment, address);
        if (!BlockChecks.isLiveOpaque(page, address, pageShift, table, linkKey) || waitsInRemoteBatch(address)) {
            throw notLive(page, address, pageShift, call);
        }
    }

    // ------------------------------------------------------------------ hardened mode

    /** Pops a block off a page's local free list: in hardened mode, only after checking the link it follows. */
    long pop(long page) {
        if (!secure) {
            return PageDescriptor.popBlockPlain(page, linkKey);
        }
        long block = PageDescriptor.freeListPlain(page);
        if (block != 0) {
            long next = PageDescriptor.linkPlain(page, block, linkKey);
            if (next != 0 && !isCarvedBlock(page, next)) {
                PageDescriptor.setFreeListPlain(page, 0); // the rest of the list is not followed: lost
                throw corruptedFreeList(page, block, next);
            }
        }
        return PageDescriptor.popBlockPlain(page, linkKey);
    }

    /** Returns whether {@code address} starts one of the blocks a page has carved so far. */
    boolean isCarvedBlock(long page, long address) {
        int sizeClass = PageDescriptor.sizeClass(page);
        long pageStart = PageDescriptor.extendEnd(page) - PageDescriptor.capacity(page) * table.blockStride(sizeClass);
        return address >= pageStart && address < PageDescriptor.extendNext(page)
                && table.isBlockStart(sizeClass, address - pageStart);
    }

    IllegalStateException corruptedFreeList(long page, long block, long link) {
        return new IllegalStateException("heap corruption detected: the free " + blockByteSizeOf(page)
                + "-byte block at 0x" + Long.toHexString(block) + " links to 0x" + Long.toHexString(link)
                + ", not a block of its page: it was written after it was freed, or an overflow reached it;"
                + " the page's free blocks past it are abandoned (secure = on)");
    }

    /** Writes a small block's canary, if its class has one, and returns the block. */
    private long withCanary(long block, int sizeClass) {
        if (table.hasCanary(sizeClass)) {
            NativeMemory.putLongPlain(block + table.blockByteSize(sizeClass), canaryOf(block));
        }
        return block;
    }

    /**
     * Throws if the canary after a small block changed: the program wrote past the block's
     * usable size. The block is then not freed: the memory around it is not to be trusted.
     */
    private void checkCanary(long page, long address, String call) {
        int sizeClass = PageDescriptor.sizeClass(page);
        if (!table.hasCanary(sizeClass)) {
            return;
        }
        long canaryAddress = address + table.blockByteSize(sizeClass);
        if (NativeMemory.getLongPlain(canaryAddress) != canaryOf(address)) {
            throw new IllegalStateException(call + "(0x" + Long.toHexString(address) + "): the "
                    + table.blockByteSize(sizeClass) + "-byte block was written past its end: its canary at 0x"
                    + Long.toHexString(canaryAddress) + " changed (a buffer overflow); the block is not freed");
        }
    }

    /** A block's canary: derived from the secret link key, so that a program cannot forge it by accident. */
    private long canaryOf(long block) {
        long mixed = (block ^ linkKey) * CANARY_MULTIPLIER;
        return mixed ^ (mixed >>> Integer.SIZE);
    }

    /** Makes one OS page at {@code address} inaccessible: a guard page (hardened mode). */
    void protectGuard(long address) {
        platform.protect(address, osPageByteSize, PlatformMemory.Protection.NONE);
    }

    /** Kept out of the free paths so that they stay small enough to inline. */
    private IllegalArgumentException notLive(long page, long address, int pageShift, String call) {
        if (waitsInRemoteBatch(address)) {
            return new IllegalArgumentException(call + "(0x" + Long.toHexString(address) + "): not a live block: the "
                    + blockByteSizeOf(page) + "-byte block is already free (a double free; it waits in a batch"
                    + " of remote frees for its heap)");
        }
        return new IllegalArgumentException(call + "(0x" + Long.toHexString(address) + "): "
                + BlockChecks.problem(page, address, pageShift, table, linkKey));
    }

    /**
     * With {@code remote-free = batched}, whether a block waits in a batch or an inbox, where
     * {@link BlockChecks} cannot see it: see {@link RemoteFreeBatches#isWaiting}.
     */
    private boolean waitsInRemoteBatch(long address) {
        return remoteFreeBatches != null && remoteFreeBatches.isWaiting(address);
    }

    /** The usable size of the blocks of a page in use. */
    private long blockByteSizeOf(long page) {
        return table.blockByteSize(PageDescriptor.sizeClass(page));
    }

    private long usableSizeIn(long segment, long address) {
        if (SegmentDescriptor.kind(segment) == SegmentDescriptor.LARGE) {
            return large.usableSize(segment, address);
        }
        return blockByteSizeOf(SegmentDescriptor.pageDescriptorOf(segment, address));
    }

    // ------------------------------------------------------------------ checks

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator is closed: " + description);
        }
    }

    /** {@link #checkOpen()} for a call about a block: the message names the block. */
    private void checkOpen(long address, String call) {
        if (closed) {
            throw closed(address, call);
        }
    }

    /** What a call about a block throws once the allocator is closed. */
    private IllegalStateException closed(long address, String call) {
        return new IllegalStateException(call + "(0x" + Long.toHexString(address)
                + "): the allocator is closed, and its memory was given back: " + description);
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

    // ------------------------------------------------------------------ purging pages (for heaps, under their lock)

    /**
     * Returns when reset memory is decommitted, counted from when it emptied, for a policy with
     * a second phase; {@link PurgePolicy#NEVER} for a policy that purges once.
     *
     * @throws IllegalArgumentException if the policy's decommit delay is negative
     */
    private static long decommitAfter(PurgePolicy policy) {
        long decommitDelay = policy.decommitDelayNanos();
        if (decommitDelay < 0) {
            throw new IllegalArgumentException("decommitDelayNanos: " + decommitDelay + " of " + policy
                    + " (expected: 0 or more, or PurgePolicy.NEVER)");
        }
        long purgeDelay = policy.purgeDelayNanos();
        if (policy.purgeKind() != PurgePolicy.PurgeKind.RESET || decommitDelay == PurgePolicy.NEVER
                || purgeDelay == PurgePolicy.NEVER) {
            return PurgePolicy.NEVER;
        }
        return purgeDelay > PurgePolicy.NEVER - decommitDelay ? PurgePolicy.NEVER : purgeDelay + decommitDelay;
    }

    /**
     * The shortest wait between two purge deadlines of the same memory, which the tick must
     * resolve: the purge delay, or the decommit delay of a two-phase policy if it is shorter (but
     * not 0: a decommit due with the reset needs no tick of its own).
     */
    private static long shortestPurgeStage(long purgeDelayNanos, long decommitAfterNanos) {
        if (decommitAfterNanos == PurgePolicy.NEVER || decommitAfterNanos == purgeDelayNanos) {
            return purgeDelayNanos;
        }
        return Math.min(purgeDelayNanos, decommitAfterNanos - purgeDelayNanos);
    }

    /**
     * Called when memory was queued for a purge (a page on a purge list, a region in the large
     * cache): wakes the background purger if it sleeps with nothing to do, so that the memory goes
     * back after the purge delay rather than after the purger's idle sleep.
     */
    void purgeQueued() {
        Purger background = purger;
        if (background != null) {
            background.wakeIfIdle();
        }
    }

    /**
     * Purges the memory a free page touched, once and for all, by the policy's kind: for a policy
     * without a second phase. Returns whether the page was purged; on a failure, logged once, the
     * page stays as it was, to be purged at a later tick.
     */
    boolean purgePage(long page) {
        return givePageBack(page, purgeByDecommit, false);
    }

    /**
     * The first phase of a two-phase policy: resets the memory a free page touched. The page
     * forgets its blocks (their contents are undefined from now on) but its memory counts as
     * committed until {@link #decommitPage}, since it stays resident until the system needs it.
     * Returns whether the page was reset.
     */
    boolean resetPage(long page) {
        return givePageBack(page, false, true);
    }

    /**
     * The second phase of a two-phase policy, or both at once when the page is found past both
     * deadlines: decommits the memory a free page touched. Returns whether it was decommitted.
     */
    boolean decommitPage(long page) {
        return givePageBack(page, true, false);
    }

    /**
     * The memory of a page touched since it was last purged, in whole OS pages, from its
     * {@code DIRTY_END} as the caller read it (the owner plainly, {@code stats()} opaquely).
     */
    long dirtyByteSize(long page, long dirtyEnd) {
        long start = pageStart(page);
        return dirtyEnd <= start ? 0 : Bits.alignUp(dirtyEnd, osPageByteSize) - start;
    }

    private boolean givePageBack(long page, boolean decommit, boolean stillCommitted) {
        long start = pageStart(page);
        long dirtyByteSize = dirtyByteSize(page, PageDescriptor.dirtyEnd(page));
        if (dirtyByteSize > 0) {
            try {
                if (decommit) {
                    platform.decommit(start, dirtyByteSize);
                } else {
                    platform.reset(start, dirtyByteSize);
                }
            } catch (PlatformMemoryException e) {
                purgeCounters.failures.log(e);
                return false;
            }
            purgeCounters.record(dirtyByteSize);
        }
        if (!stillCommitted) {
            PageDescriptor.setDirtyEnd(page, start);
        }
        PageDescriptor.forgetBlocks(page);
        return true;
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
            if (remoteFreeBatches != null) {
                remoteFreeBatches.flushAll(); // before the heaps, so that ownerless ones take what it sends
            }
            for (Heap heap : heaps.all()) {
                if (heap != caller) {
                    maintainHeap(heap, now);
                    pending |= heap.hasPendingWork();
                }
            }
            pending |= large.maintain(now);
        } finally {
            maintenanceLock.unlock();
        }
        return pending;
    }

    private void maintainHeap(Heap heap, long now) {
        switch (heap.state.get()) {
            case Heap.OWNED -> {
                Thread owner = heap.owner();
                if (owner != null && !owner.isAlive() && heap.claimFromDeadOwner(owner)) {
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
    public LeakReport leaks() {
        if (sampledSites == null) {
            return Allocator.super.leaks();
        }
        AllocatorStats stats = stats();
        return sampledSites.report(stats.liveBlocks(), stats.liveBytes());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (sampledSites != null) {
            reportLeaks(leaks());
        }
        closed = true; // first: a call that sees a CLOSED mode then sees it closed too
        freeMode = CLOSED;
        allocationMode = CLOSED;
        OPEN_ENGINES.remove(this);
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

    /** Logs the blocks still live at close, if any: the program lost track of them. */
    static void reportLeaks(LeakReport leaks) {
        if (leaks.liveBlocks() > 0) {
            LOG.warn("closed with blocks still live: {}", leaks.format());
        }
    }

    @Override
    public String toString() {
        return "tinyalloc#" + (magic ^ MAGIC_BASE) + "[" + description + "]";
    }
}
