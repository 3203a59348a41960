package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.TestEngines.Recipe;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many threads on one allocator: blocks freed by threads that did not allocate them, threads
 * that die while holding blocks, thousands of virtual threads; afterwards nothing is live and
 * the memory goes back to the operating system. Every block carries its pattern
 * ({@link Patterns}) and is checked by whichever thread frees it.
 */
@ExtendWith(SeedExtension.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrencyTest {

    /** More threads than the 2 cores of the build machine, so that threads are preempted mid-operation. */
    private static final int PLATFORM_THREADS = 5;
    private static final int STEPS_PER_THREAD = 40_000;
    /** Percent of allocations handed to another thread to free. */
    private static final int HAND_OVER_PERCENT = 60;
    /** Percent of exchanged blocks drawn from the whole size range (large ones included); the rest are small. */
    private static final int ANY_SIZE_PERCENT = 2;
    private static final long SMALL_EXCHANGE_BYTE_SIZE = 2 * KiB;
    /** Blocks a thread keeps before freeing its oldest, so that pages fill beyond one block. */
    private static final int KEPT_PER_THREAD = 300;

    private static final int DYING_THREADS = 8;
    private static final int BLOCKS_PER_DYING_THREAD = 2_000;

    private static final int VIRTUAL_THREADS = 5_000;
    private static final int BLOCKS_PER_VIRTUAL_THREAD = 4;
    private static final int SWAP_SLOTS = 64;
    /** A size that the slow-path driver of {@link Purging} does not use. */
    private static final long ORPHAN_BYTE_SIZE = 48;
    /** Heaps besides the virtual threads' shared ones: the test's own thread and JUnit's timeout thread. */
    private static final int OTHER_HEAPS = 2;

    private final AtomicLong serials = new AtomicLong();

    /** A block in flight between threads, with what its freer must find in it. */
    private record Handed(long address, long byteSize, long serial) {
    }

    /** A large cache that empties soon, so that all memory can go back within the test. */
    private static final Duration LARGE_CACHE_MAX_AGE = Duration.ofMillis(20);

    static Stream<Recipe> purgingRecipes() {
        Recipe base = Recipe.DEFAULT.withLargeCacheMaxAge(LARGE_CACHE_MAX_AGE);
        return Stream.of(
                base.withPurge("immediate"),
                base.withPurgeDelay(Duration.ofMillis(5)),
                base.withSizeClasses("mimalloc").withGeometry(64 * KiB, 4 * KiB, 32 * KiB)
                        .withPurgeDelay(Duration.ofMillis(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("purgingRecipes")
    void crossThreadFreesKeepContentsAndMemoryGoesBackAfterThePurgeDelay(Recipe recipe, Seed seed) throws Exception {
        try (Allocator allocator = TestEngines.create(recipe)) {
            long baseline = allocator.stats().committedBytes();
            List<Queue<Handed>> inboxes = Stream.<Queue<Handed>>generate(ConcurrentLinkedQueue::new)
                    .limit(PLATFORM_THREADS).toList();
            List<SplittableRandom> randoms = split(seed, PLATFORM_THREADS);
            runOnPlatformThreads(PLATFORM_THREADS,
                    thread -> exchangeBlocks(allocator, inboxes, thread, randoms.get(thread)));
            inboxes.forEach(inbox -> inbox.forEach(block -> checkAndFree(allocator, block)));

            AllocatorStats stats = allocator.stats();
            assertEquals(0, stats.liveBlocks(), "live blocks after every block was freed: " + stats);
            assertEquals(0, stats.liveBytes(), "live bytes after every block was freed: " + stats);
            assertTrue(stats.crossThreadFrees() > 0, "no cross-thread free was counted: " + stats);
            assertCommittedReturnsTo(allocator, baseline, recipe);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("purgingRecipes")
    void blocksOfThreadsThatDiedAreFreedByOthersAndTheirMemoryIsReused(Recipe recipe, Seed seed) throws Exception {
        try (Allocator allocator = TestEngines.create(recipe)) {
            long baseline = allocator.stats().committedBytes();
            List<Handed> orphans = new CopyOnWriteArrayList<>();
            List<SplittableRandom> randoms = split(seed, 2 * DYING_THREADS);
            runOnPlatformThreads(DYING_THREADS, thread -> {
                SplittableRandom random = randoms.get(thread);
                List<Handed> mine = new ArrayList<>();
                for (int i = 0; i < BLOCKS_PER_DYING_THREAD; i++) {
                    mine.add(allocateAndFill(allocator, Ops.smallByteSize(random)));
                }
                orphans.addAll(mine);
            });
            long peak = allocator.stats().committedBytes();
            assertEquals(DYING_THREADS * BLOCKS_PER_DYING_THREAD, allocator.stats().liveBlocks());

            // Half freed by a thread that never allocated, half by the test thread.
            List<Handed> half = orphans.subList(0, orphans.size() / 2);
            runOnPlatformThreads(1, thread -> half.forEach(block -> checkAndFree(allocator, block)));
            orphans.subList(orphans.size() / 2, orphans.size()).forEach(block -> checkAndFree(allocator, block));
            assertEquals(0, allocator.stats().liveBlocks());
            assertTrue(allocator.stats().crossThreadFrees() > 0, allocator.stats().toString());

            // The pages of the dead threads are reused rather than left behind.
            runOnPlatformThreads(DYING_THREADS, thread -> {
                SplittableRandom random = randoms.get(DYING_THREADS + thread);
                for (int i = 0; i < BLOCKS_PER_DYING_THREAD; i++) {
                    checkAndFree(allocator, allocateAndFill(allocator, Ops.smallByteSize(random)));
                }
            });
            assertTrue(allocator.stats().committedBytes() <= peak + recipe.segmentByteSize(),
                    "a second generation of threads committed " + allocator.stats().committedBytes()
                            + " bytes, the first peaked at " + peak);
            assertCommittedReturnsTo(allocator, baseline, recipe);
        }
    }

    @Test
    void thousandsOfVirtualThreadsShareABoundedNumberOfHeaps(Seed seed) throws Exception {
        Recipe recipe = Recipe.DEFAULT.withPurge("immediate").withVirtualThreadHeaps(4)
                .withLargeCacheMaxAge(LARGE_CACHE_MAX_AGE);
        try (Allocator allocator = TestEngines.create(recipe)) {
            long baseline = allocator.stats().committedBytes();
            AtomicReferenceArray<Handed> slots = new AtomicReferenceArray<>(SWAP_SLOTS);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            long base = seed.value();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < VIRTUAL_THREADS; t++) {
                    SplittableRandom random = new SplittableRandom(base + t);
                    threads.execute(() -> {
                        try {
                            swapThroughSlots(allocator, slots, random);
                        } catch (Throwable failure) {
                            failures.add(failure);
                        }
                    });
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " virtual threads failed");
                failures.stream().limit(3).forEach(error::addSuppressed);
                throw error;
            }
            int heaps = ((EngineAllocator) allocator).heapCount();
            int bound = recipe.virtualThreadHeaps() + OTHER_HEAPS;
            assertTrue(heaps <= bound, heaps + " heaps after " + VIRTUAL_THREADS + " virtual threads (expected at most "
                    + recipe.virtualThreadHeaps() + " shared ones and " + OTHER_HEAPS + " for platform threads)");
            for (int i = 0; i < SWAP_SLOTS; i++) {
                Handed left = slots.getAndSet(i, null);
                if (left != null) {
                    checkAndFree(allocator, left);
                }
            }
            assertEquals(0, allocator.stats().liveBlocks());
            assertTrue(allocator.stats().crossThreadFrees() > 0, allocator.stats().toString());
            assertCommittedReturnsTo(allocator, baseline, recipe);
        }
    }

    /**
     * The smallest case of memory kept by a heap without owner: a thread allocates one block
     * and dies; this thread frees it (a remote free, onto the page's thread-free list) and then
     * allocates of another size, which gives it a heap. The page of the freed block must go back.
     */
    @Test
    void thePageOfABlockFreedAfterItsThreadDiedGoesBack() throws Exception {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurge("immediate"))) {
            long[] block = new long[1];
            Thread.ofPlatform().start(() -> block[0] = allocator.allocate(ORPHAN_BYTE_SIZE)).join();
            allocator.free(block[0]);
            AllocatorStats stats = Purging.awaitStats(allocator, s -> pagesOfClassHolding(s, ORPHAN_BYTE_SIZE) == 0);
            assertEquals(0, pagesOfClassHolding(stats, ORPHAN_BYTE_SIZE), "the " + ORPHAN_BYTE_SIZE
                    + "-byte class still has a page " + Purging.DEADLINE + " after its only block was freed: " + stats);
        }
    }

    /** The same with a virtual thread, whose frees are all remote: its heap is shared and has no owner. */
    @Test
    void thePageOfABlockOfAVirtualThreadGoesBack() throws Exception {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurge("immediate"))) {
            Thread.ofVirtual().start(() -> allocator.free(allocator.allocate(ORPHAN_BYTE_SIZE))).join();
            AllocatorStats stats = Purging.awaitStats(allocator, s -> pagesOfClassHolding(s, ORPHAN_BYTE_SIZE) == 0);
            assertEquals(0, pagesOfClassHolding(stats, ORPHAN_BYTE_SIZE), "the " + ORPHAN_BYTE_SIZE
                    + "-byte class still has a page " + Purging.DEADLINE + " after its only block was freed: " + stats);
        }
    }

    // ---------------------------------------------------------------- workloads

    /**
     * One thread's part: allocate, hand most blocks to other threads' inboxes, free what the
     * others handed over, and free its own oldest blocks as it goes.
     */
    private void exchangeBlocks(Allocator allocator, List<Queue<Handed>> inboxes, int thread, SplittableRandom random) {
        Queue<Handed> inbox = inboxes.get(thread);
        ArrayDeque<Handed> kept = new ArrayDeque<>();
        for (int step = 0; step < STEPS_PER_THREAD; step++) {
            Handed block = allocateAndFill(allocator, exchangedByteSize(random));
            if (random.nextInt(100) < HAND_OVER_PERCENT) {
                int other = (thread + 1 + random.nextInt(inboxes.size() - 1)) % inboxes.size();
                inboxes.get(other).add(block);
            } else {
                kept.addLast(block);
                if (kept.size() > KEPT_PER_THREAD) {
                    checkAndFree(allocator, kept.removeFirst());
                }
            }
            for (Handed received; (received = inbox.poll()) != null; ) {
                checkAndFree(allocator, received);
            }
        }
        kept.forEach(block -> checkAndFree(allocator, block));
    }

    /** Mostly small sizes, which is where the cross-thread free lists are; now and then any size. */
    private static long exchangedByteSize(SplittableRandom random) {
        return random.nextInt(100) < ANY_SIZE_PERCENT ? Ops.byteSize(random) : random.nextLong(0, SMALL_EXCHANGE_BYTE_SIZE);
    }

    private void swapThroughSlots(Allocator allocator, AtomicReferenceArray<Handed> slots, SplittableRandom random) {
        List<Handed> mine = new ArrayList<>();
        for (int i = 0; i < BLOCKS_PER_VIRTUAL_THREAD; i++) {
            long size = random.nextLong(1, 2 * KiB);
            mine.add(allocateAndFill(allocator, size));
        }
        Handed previous = slots.getAndSet(random.nextInt(SWAP_SLOTS), mine.removeFirst());
        if (previous != null) {
            checkAndFree(allocator, previous);
        }
        Thread.yield();   // lets another virtual thread run on this carrier between allocation and free
        mine.forEach(block -> checkAndFree(allocator, block));
    }

    // ---------------------------------------------------------------- helpers

    private Handed allocateAndFill(Allocator allocator, long byteSize) {
        long address = allocator.allocate(byteSize);
        long serial = serials.incrementAndGet();
        Patterns.fill(address, byteSize, serial);
        return new Handed(address, byteSize, serial);
    }

    private static void checkAndFree(Allocator allocator, Handed block) {
        long mismatch = Patterns.firstMismatch(block.address(), block.byteSize(), block.serial());
        if (mismatch >= 0) {
            fail("block " + block + " changed before it was freed: "
                    + Patterns.describeMismatch(block.address(), mismatch, block.serial()));
        }
        allocator.free(block.address());
    }

    /** One generator per thread, split from the seed before the threads start (a generator is not thread-safe). */
    private static List<SplittableRandom> split(Seed seed, int count) {
        SplittableRandom random = seed.random();
        return Stream.generate(random::split).limit(count).toList();
    }

    /** The pages of the smallest class whose blocks hold {@code byteSize} bytes. */
    private static long pagesOfClassHolding(AllocatorStats stats, long byteSize) {
        return stats.sizeClasses().stream()
                .filter(sizeClass -> sizeClass.blockByteSize() >= byteSize)
                .findFirst()
                .orElseThrow()
                .pages();
    }

    /** Runs {@code work(thread index)} on that many new platform threads and rethrows the first failure. */
    private static void runOnPlatformThreads(int count, ThreadWork work) throws InterruptedException {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int index = t;
            threads.add(Thread.ofPlatform().name("worker-" + t).start(() -> {
                try {
                    work.run(index);
                } catch (Throwable failure) {
                    failures.add(failure);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " of " + count + " threads failed",
                    failures.getFirst());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    @FunctionalInterface
    private interface ThreadWork {
        void run(int thread);
    }

    /**
     * Waits until committed memory is back to {@code baseline}, give or take what the driving
     * allocations of {@link Purging} keep themselves.
     */
    private static void assertCommittedReturnsTo(Allocator allocator, long baseline, Recipe recipe)
            throws InterruptedException {
        long bound = baseline + drivingSlack(recipe);
        AllocatorStats stats = Purging.awaitStats(allocator, s -> s.committedBytes() <= bound);
        assertTrue(stats.committedBytes() <= bound, "committed " + stats.committedBytes() + " bytes "
                + Purging.DEADLINE + " after everything was freed, expected at most " + bound + " (baseline "
                + baseline + "): " + stats);
    }

    /** What may stay committed besides the baseline: the driver's blocks, or one segment. */
    private static long drivingSlack(Recipe recipe) {
        return Math.max(recipe.segmentByteSize(), Purging.DRIVER_FOOTPRINT_BYTES);
    }
}
