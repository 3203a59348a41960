package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.LeakReport;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The allocation sites of tracked blocks, for leak reports: an address-to-site map, and in front
 * of it a small counting filter, so that a free can tell with one load that a block was not
 * tracked and skip the map.
 *
 * <p>A site is the allocating thread's stack from the caller of the allocator outwards, at most
 * {@link #MAX_FRAMES} frames, captured with a {@link StackWalker}: a few microseconds, which is
 * why {@code leak-detection = sampled} captures it for a small share of allocations only.
 *
 * <p>Frees reach {@link #forget} only for blocks of pages marked as holding a tracked block
 * ({@code PageDescriptor.markSampledPlain}) and for large blocks. The filter is a bitmap with a
 * bit per bucket of addresses, set while a tracked block hashes there: 512 bytes, so that the
 * load stays in the first-level cache. Per-bucket counts, touched only when a
 * block is tracked or forgotten (rare), say when a bit can be cleared; both change under a
 * lock. The bitmap is read plain on every free: a stale zero can only come from a bucket whose
 * block was tracked by another thread without a happens-before edge to this free, which a
 * correct program does not do to a block it frees.
 */
final class LeakSites {

    /** The page of a tracked block that lies in no page: a large block, or any block under {@code all}. */
    private static final long NO_PAGE = 0;
    /** The deepest stack kept per site: enough to see past a few layers of library code. */
    static final int MAX_FRAMES = 24;
    /** Buckets of the filter: a bit each in the bitmap the free path reads. */
    private static final int FILTER_BUCKETS = 1 << 12;
    /** Fibonacci hashing: spreads block addresses, which share their low bits, over the buckets. */
    private static final long HASH_MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final int FILTER_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(FILTER_BUCKETS);
    /** A bucket's word in {@link #presentBits}: its index over 64. */
    private static final int WORD_SHIFT = Integer.numberOfTrailingZeros(Long.SIZE);
    /** Frames of these classes, and of the api package, are the allocator's own: dropped from the top of a site. */
    private static final Set<Class<?>> ENGINE_CLASSES = Set.of(LeakSites.class, LeakTrackingAllocator.class,
            EngineAllocator.class, Heap.class, LargeBlocks.class);
    private static final String API_PACKAGE = Allocator.class.getPackageName();

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final String detection;
    private final Map<Long, Tracked> tracked = new ConcurrentHashMap<>();
    private final long[] presentBits = new long[FILTER_BUCKETS / Long.SIZE];
    private final int[] trackedPerBucket = new int[FILTER_BUCKETS];
    private final ReentrantLock filterLock = new ReentrantLock();
    /**
     * Tracked blocks per page descriptor, for the pages that hold any: changed under
     * {@link #filterLock}, read by the owner to unmark a page ({@link #holdsTrackedBlocks}).
     */
    private final Map<Long, Integer> trackedPerPage = new ConcurrentHashMap<>();

    /**
     * A tracked block: its size and the frames of its allocation, kept as the walker's frames
     * and turned into {@link StackTraceElement}s only for a report (the conversion is most of
     * a walk's cost).
     */
    private record Tracked(long byteSize, long page, List<StackWalker.StackFrame> frames) {

        List<StackTraceElement> site() {
            return frames.stream().map(StackWalker.StackFrame::toStackTraceElement).toList();
        }
    }

    /** @param detection the mode that tracks blocks, for reports: {@code sampled} or {@code all} */
    LeakSites(String detection) {
        this.detection = detection;
    }

    /** Records where the calling thread allocated {@code address}, a block of {@code byteSize} usable bytes. */
    void track(long address, long byteSize) {
        track(address, byteSize, NO_PAGE);
    }

    /**
     * {@link #track(long, long)} for a small block of the page whose descriptor is {@code page}:
     * the page is counted, so that its owner can tell when it holds no tracked block any more.
     */
    void track(long address, long byteSize, long page) {
        List<StackWalker.StackFrame> site = callerStack();
        int bucket = bucket(address);
        filterLock.lock();
        try {
            if (tracked.put(address, new Tracked(byteSize, page, site)) != null) {
                return;
            }
            if (trackedPerBucket[bucket]++ == 0) {
                presentBits[bucket >>> WORD_SHIFT] |= 1L << bucket;
            }
            if (page != NO_PAGE) {
                trackedPerPage.merge(page, 1, Integer::sum);
            }
        } finally {
            filterLock.unlock();
        }
    }

    /**
     * Whether a page still holds a tracked block. Its owner asks after a free of a block of a
     * marked page, and unmarks the page on a no: without that, every later free of the page's
     * blocks would come here too, long after its tracked blocks were gone.
     */
    boolean holdsTrackedBlocks(long page) {
        return trackedPerPage.containsKey(page);
    }

    /** Forgets {@code address} if it was tracked: called on every free, one plain load when it was not. */
    void forget(long address) {
        int bucket = bucket(address);
        if ((presentBits[bucket >>> WORD_SHIFT] & 1L << bucket) != 0) {
            forgetTracked(address, bucket);
        }
    }

    private void forgetTracked(long address, int bucket) {
        filterLock.lock();
        try {
            Tracked forgotten = tracked.remove(address);
            if (forgotten == null) {
                return;
            }
            if (--trackedPerBucket[bucket] == 0) {
                presentBits[bucket >>> WORD_SHIFT] &= ~(1L << bucket);
            }
            if (forgotten.page() != NO_PAGE) {
                trackedPerPage.computeIfPresent(forgotten.page(), (page, count) -> count == 1 ? null : count - 1);
            }
        } finally {
            filterLock.unlock();
        }
    }

    /** The live totals with the tracked blocks grouped by site, most bytes first. */
    LeakReport report(long liveBlocks, long liveBytes) {
        Map<List<StackTraceElement>, long[]> bySite = tracked.values().stream().collect(Collectors.toMap(
                Tracked::site, t -> new long[] {1, t.byteSize()}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
        List<LeakReport.Site> sites = bySite.entrySet().stream()
                .map(e -> new LeakReport.Site(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .sorted(Comparator.comparingLong(LeakReport.Site::bytes).reversed())
                .toList();
        return new LeakReport(liveBlocks, liveBytes, detection, sites);
    }

    private static int bucket(long address) {
        return (int) ((address * HASH_MULTIPLIER) >>> FILTER_SHIFT);
    }

    private static List<StackWalker.StackFrame> callerStack() {
        return WALKER.walk(frames -> frames
                .dropWhile(LeakSites::isAllocatorFrame)
                .limit(MAX_FRAMES)
                .toList());
    }

    private static boolean isAllocatorFrame(StackWalker.StackFrame frame) {
        Class<?> declaring = frame.getDeclaringClass();
        return ENGINE_CLASSES.contains(declaring) || declaring.getPackageName().equals(API_PACKAGE);
    }
}
