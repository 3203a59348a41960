package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.TestEngines.Recipe;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything at once, for a while: more platform threads than the machine has cores exchange
 * blocks of random sizes (small and large) through queues, so that most frees are cross-thread;
 * each thread dies after a while holding blocks, which the others then free, and a new thread
 * takes its place; meanwhile batches of thousands of virtual threads allocate and free, trading
 * blocks with each other and with the platform threads. Every block carries a pattern
 * ({@link Patterns}) that whoever frees it checks. Afterwards every block is freed, the stats
 * count nothing live, and committed memory goes back to where it started once the purge delay
 * has passed (the background purger does that: the test thread never allocates).
 *
 * <p>By default each engine is stressed for {@value #DEFAULT_LOAD_MILLIS} ms, which keeps the
 * class to a few seconds in CI. A longer soak is a system property, the total time of load
 * split evenly between the engines:
 * {@snippet lang = shell :
 * ./mvnw -o -pl core test -Dtest=StressTest -Dtinyalloc.soak=10m
 * }
 * The value is a number and a unit: {@code ms}, {@code s}, {@code m} or {@code h}. A failure
 * names its seed; {@code -Dtinyalloc.test.seed=<seed>} replays the same sizes and choices (the
 * interleaving of threads differs from run to run).
 */
@ExtendWith(SeedExtension.class)
class StressTest {

    /** The system property that sets the total load time of a soak. */
    static final String SOAK_PROPERTY = "tinyalloc.soak";
    private static final long DEFAULT_LOAD_MILLIS = 2_500;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /** Three times the 2 cores of the build machine, so that threads are preempted mid-operation. */
    private static final int PLATFORM_THREADS = 6;
    /** Steps a platform thread lives for before it dies holding its blocks and another takes its place. */
    private static final int STEPS_PER_LIFETIME = 4_000;
    /** Blocks a platform thread keeps at most; it frees its oldest beyond that. */
    private static final int KEPT_PER_THREAD = 200;
    /** Percent of a platform thread's allocations handed to another platform thread to free. */
    private static final int HAND_OVER_PERCENT = 60;
    /** Percent of a platform thread's steps that trade a block through the virtual threads' slots. */
    private static final int SLOT_TRADE_PERCENT = 5;
    /** Percent of sizes above the largest class; the rest are small, mostly under {@link #COMMON_SMALL_BYTE_SIZE}. */
    private static final int LARGE_PERCENT = 3;
    private static final long COMMON_SMALL_BYTE_SIZE = 1 * KiB;
    private static final long MAX_LARGE_BYTE_SIZE = 1 * MiB;

    private static final int VIRTUAL_THREADS_PER_BATCH = 5_000;
    private static final int BLOCKS_PER_VIRTUAL_THREAD = 3;
    private static final int SLOTS = 128;
    /** Percent of virtual threads that hand a block to a platform thread to free. */
    private static final int VIRTUAL_HAND_OVER_PERCENT = 20;

    /** How long the threads may take to stop after the load time: far more than they need, short of hanging CI. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** How long committed memory may take to go back: far above the purge delay and the cache's max age. */
    private static final Duration PURGE_DEADLINE = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    private static final Duration LARGE_CACHE_MAX_AGE = Duration.ofMillis(50);

    /** A block in flight, with what its freer must find in it. */
    private record Handed(long address, long byteSize, long serial) {
    }

    static Stream<Recipe> recipes() {
        Recipe base = Recipe.DEFAULT.withPurgeDelay(Duration.ofMillis(5)).withLargeCacheMaxAge(LARGE_CACHE_MAX_AGE)
                .withBackgroundPurge(true);
        return Stream.of(
                base,
                // Small segments, found through the radix map: segments are taken and released all the time.
                base.withSizeClasses("mimalloc").withPageLookup("radix").withGeometry(64 * KiB, 4 * KiB, 32 * KiB));
    }

    /**
     * Guards the cross-thread free protocol, the reclaiming of dead threads' heaps, the shared
     * heaps of virtual threads and the purge that gives memory back, all under contention: no
     * block is corrupted or handed out twice (patterns), nothing stays counted as live, and
     * committed memory returns to its starting level.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void threadsThatExchangeBlocksDieAndComeBackWithThousandsOfVirtualThreadsLoseAndCorruptNothing(Recipe recipe,
            Seed seed) throws Exception {
        Duration load = loadTime().dividedBy(recipes().count());
        try (Allocator allocator = TestEngines.create(recipe)) {
            long baseline = allocator.stats().committedBytes();
            Run run = new Run(allocator, seed.random(), recipe.maxClassByteSize());
            run.start(load);
            run.awaitEnd(load.plus(STOP_GRACE));
            run.freeLeftovers();

            AllocatorStats stats = allocator.stats();
            assertEquals(0, stats.liveBlocks(), "live blocks after every block was freed: " + stats);
            assertEquals(0, stats.liveBytes(), "live bytes after every block was freed: " + stats);
            assertTrue(stats.crossThreadFrees() > 0, "no cross-thread free was counted: " + stats);
            assertCommittedReturnsTo(allocator, baseline);
            System.out.println("StressTest " + recipe + ": " + run.summary() + "; " + stats.crossThreadFrees()
                    + " cross-thread frees");
        }
    }

    /**
     * One stress run: the platform threads, their replacements, the virtual-thread batches and
     * everything in flight between them.
     */
    private static final class Run {

        private final Allocator allocator;
        private final SplittableRandom random;
        private final long maxSmallByteSize;
        private final List<Queue<Handed>> inboxes;
        /** Blocks of platform threads that died holding them, freed by the others. */
        private final Queue<Handed> orphans = new ConcurrentLinkedQueue<>();
        private final AtomicReferenceArray<Handed> slots = new AtomicReferenceArray<>(SLOTS);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final AtomicLong serials = new AtomicLong();
        final AtomicLong blocksFreed = new AtomicLong();
        private final AtomicLong platformThreadsStarted = new AtomicLong();
        private final AtomicLong virtualThreadsStarted = new AtomicLong();
        private final List<Thread> supervisors = new ArrayList<>();
        private volatile long endNanos;

        Run(Allocator allocator, SplittableRandom random, long maxSmallByteSize) {
            this.allocator = allocator;
            this.random = random;
            this.maxSmallByteSize = maxSmallByteSize;
            this.inboxes = Stream.<Queue<Handed>>generate(ConcurrentLinkedQueue::new).limit(PLATFORM_THREADS).toList();
        }

        /**
         * Starts one supervisor per platform-thread slot, which runs generation after generation
         * of workers in that slot until the load time is up, and one that runs batches of
         * virtual threads (at least one batch).
         */
        void start(Duration load) {
            endNanos = System.nanoTime() + load.toNanos();
            for (int slot = 0; slot < PLATFORM_THREADS; slot++) {
                int index = slot;
                SplittableRandom slotRandom = random.split();
                supervisors.add(Thread.ofPlatform().name("stress-slot-" + slot).start(
                        () -> guarded(() -> runGenerations(index, slotRandom))));
            }
            SplittableRandom virtualRandom = random.split();
            supervisors.add(Thread.ofPlatform().name("stress-virtual").start(
                    () -> guarded(() -> runVirtualBatches(virtualRandom))));
        }

        private boolean timeLeft() {
            return System.nanoTime() - endNanos < 0 && failures.isEmpty();
        }

        private void runGenerations(int slot, SplittableRandom slotRandom) throws InterruptedException {
            do {
                SplittableRandom workerRandom = slotRandom.split();
                Thread worker = Thread.ofPlatform().name("stress-worker-" + slot + "-" + platformThreadsStarted.get())
                        .start(() -> guarded(() -> liveOneLifetime(slot, workerRandom)));
                platformThreadsStarted.incrementAndGet();
                worker.join();
            } while (timeLeft());
        }

        /**
         * A platform thread's life: allocate, hand most blocks to other threads, free what others
         * handed over and some orphans, trade through the virtual threads' slots now and then;
         * then die holding the blocks it kept, as orphans for the others.
         */
        private void liveOneLifetime(int slot, SplittableRandom random) {
            ArrayDeque<Handed> kept = new ArrayDeque<>();
            for (int step = 0; step < STEPS_PER_LIFETIME && timeLeft(); step++) {
                Handed block = allocateAndFill(byteSize(random));
                if (random.nextInt(100) < HAND_OVER_PERCENT) {
                    inboxes.get((slot + 1 + random.nextInt(PLATFORM_THREADS - 1)) % PLATFORM_THREADS).add(block);
                } else if (random.nextInt(100) < SLOT_TRADE_PERCENT) {
                    checkAndFree(slots.getAndSet(random.nextInt(SLOTS), block));
                } else {
                    kept.addLast(block);
                    if (kept.size() > KEPT_PER_THREAD) {
                        checkAndFree(kept.removeFirst());
                    }
                }
                for (Handed received; (received = inboxes.get(slot).poll()) != null; ) {
                    checkAndFree(received);
                }
                checkAndFree(orphans.poll());
            }
            orphans.addAll(kept);
        }

        /** Batches of virtual threads, one after the other, until the load time is up. */
        private void runVirtualBatches(SplittableRandom random) {
            do {
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int t = 0; t < VIRTUAL_THREADS_PER_BATCH; t++) {
                        SplittableRandom threadRandom = random.split();
                        threads.execute(() -> guarded(() -> virtualThreadLife(threadRandom)));
                    }
                }
                virtualThreadsStarted.addAndGet(VIRTUAL_THREADS_PER_BATCH);
            } while (timeLeft());
        }

        /**
         * A virtual thread's life: a few blocks, one traded through a slot (to another virtual
         * thread or a platform thread), sometimes one handed to a platform thread, the rest freed
         * after a yield that lets another virtual thread run on the same carrier in between.
         */
        private void virtualThreadLife(SplittableRandom random) {
            List<Handed> mine = new ArrayList<>();
            for (int i = 0; i < BLOCKS_PER_VIRTUAL_THREAD; i++) {
                mine.add(allocateAndFill(random.nextInt(100) < LARGE_PERCENT ? byteSize(random)
                        : random.nextLong(1, COMMON_SMALL_BYTE_SIZE + 1)));
            }
            checkAndFree(slots.getAndSet(random.nextInt(SLOTS), mine.removeFirst()));
            if (random.nextInt(100) < VIRTUAL_HAND_OVER_PERCENT) {
                inboxes.get(random.nextInt(PLATFORM_THREADS)).add(mine.removeFirst());
            }
            Thread.yield();
            mine.forEach(this::checkAndFree);
        }

        /** Mostly small sizes, most under a KiB; a few large ones up to {@link #MAX_LARGE_BYTE_SIZE}. */
        private long byteSize(SplittableRandom random) {
            int roll = random.nextInt(100);
            if (roll < LARGE_PERCENT) {
                return random.nextLong(maxSmallByteSize + 1, MAX_LARGE_BYTE_SIZE + 1);
            } else if (roll < 80) {
                return random.nextLong(0, COMMON_SMALL_BYTE_SIZE + 1);
            }
            return random.nextLong(0, maxSmallByteSize + 1);
        }

        private Handed allocateAndFill(long byteSize) {
            long address = allocator.allocate(byteSize);
            long serial = serials.incrementAndGet();
            Patterns.fill(address, byteSize, serial);
            return new Handed(address, byteSize, serial);
        }

        /** Checks a block's pattern and frees it; does nothing for {@code null}. */
        private void checkAndFree(Handed block) {
            if (block == null) {
                return;
            }
            long mismatch = Patterns.firstMismatch(block.address(), block.byteSize(), block.serial());
            if (mismatch >= 0) {
                throw new AssertionError("block " + block + " changed before it was freed: "
                        + Patterns.describeMismatch(block.address(), mismatch, block.serial()));
            }
            allocator.free(block.address());
            blocksFreed.incrementAndGet();
        }

        private void guarded(ThrowingRunnable work) {
            try {
                work.run();
            } catch (Throwable failure) {
                failures.add(failure);
            }
        }

        /**
         * Waits for every supervisor, and so every worker; fails with the first failure of any
         * thread, or with the stacks of the threads still running after {@code limit}.
         */
        void awaitEnd(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            for (Thread supervisor : supervisors) {
                supervisor.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            List<Thread> stuck = supervisors.stream().filter(Thread::isAlive).toList();
            if (!stuck.isEmpty()) {
                throw new AssertionError("threads still running " + limit + " after the start: " + stuck
                        + "\n" + Thread.getAllStackTraces().entrySet().stream()
                                .filter(entry -> entry.getKey().getName().startsWith("stress-"))
                                .map(entry -> entry.getKey() + "\n    at " + Arrays.stream(entry.getValue())
                                        .map(Object::toString).collect(Collectors.joining("\n    at ")))
                                .collect(Collectors.joining("\n")));
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " threads failed: " + failures.getFirst(),
                        failures.getFirst());
                failures.stream().skip(1).limit(3).forEach(error::addSuppressed);
                throw error;
            }
        }

        /** Frees, from the test thread, what is still in flight: inboxes, orphans, slots. */
        void freeLeftovers() {
            inboxes.forEach(inbox -> {
                for (Handed block; (block = inbox.poll()) != null; ) {
                    checkAndFree(block);
                }
            });
            for (Handed block; (block = orphans.poll()) != null; ) {
                checkAndFree(block);
            }
            for (int i = 0; i < SLOTS; i++) {
                checkAndFree(slots.getAndSet(i, null));
            }
        }

        String summary() {
            return platformThreadsStarted + " platform threads, " + virtualThreadsStarted + " virtual threads, "
                    + serials + " blocks allocated, " + blocksFreed + " freed";
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The load time: {@code -Dtinyalloc.soak}, or {@link #DEFAULT_LOAD_MILLIS} per engine. */
    private static Duration loadTime() {
        String soak = System.getProperty(SOAK_PROPERTY);
        if (soak == null || soak.isBlank()) {
            return Duration.ofMillis(DEFAULT_LOAD_MILLIS).multipliedBy(recipes().count());
        }
        Matcher matcher = DURATION.matcher(soak.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("-D" + SOAK_PROPERTY + "=" + soak
                    + " (expected: a number and a unit, ms, s, m or h, such as 10m)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /**
     * Waits, reading the stats only, until committed memory is back to {@code baseline}: every
     * thread that allocated has ended, so the background purger reclaims their heaps, purges their
     * pages, releases their segments and ages out the large cache.
     */
    private static void assertCommittedReturnsTo(Allocator allocator, long baseline) throws InterruptedException {
        long deadline = System.nanoTime() + PURGE_DEADLINE.toNanos();
        AllocatorStats stats = allocator.stats();
        while (stats.committedBytes() > baseline && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_INTERVAL);
            stats = allocator.stats();
        }
        assertTrue(stats.committedBytes() <= baseline, "committed " + stats.committedBytes() + " bytes "
                + PURGE_DEADLINE + " after every block was freed, expected at most the baseline of " + baseline
                + ": " + stats);
    }
}
