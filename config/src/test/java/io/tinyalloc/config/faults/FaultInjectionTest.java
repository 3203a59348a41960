package io.tinyalloc.config.faults;

import static io.tinyalloc.config.faults.PlatformOperation.COMMIT;
import static io.tinyalloc.config.faults.PlatformOperation.DECOMMIT;
import static io.tinyalloc.config.faults.PlatformOperation.RELEASE;
import static io.tinyalloc.config.faults.PlatformOperation.RESERVE;
import static io.tinyalloc.config.faults.PlatformOperation.RESET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.config.faults.FaultConf.Purge;
import io.tinyalloc.config.faults.LiveBlocks.Block;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The allocator on a platform that refuses memory: built with {@link TinyAlloc#create} on the
 * {@code fault-injection} platform, which fails reserve, commit, purge (decommit, reset) or
 * release on a schedule. Under faults every allocation succeeds or throws
 * {@link AllocationFailedException}, live blocks keep their contents, the stats agree exactly
 * with a model of the live blocks, purge failures are logged once and never thrown; when the
 * faults stop, the allocator recovers fully: it allocates again, and once everything is freed its
 * committed memory goes back to where it started and it holds no address space it does not
 * account for.
 *
 * <p>All allocator work runs on threads that end before the checks of committed memory, so
 * that the background purger can reclaim their heaps; the test thread only reads the stats.
 *
 * <p>The purge-failure logging test runs first: the engine logs the first purge failure of the
 * JVM only, and the other tests cause purge failures too.
 */
@ExtendWith(Seeds.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultInjectionTest {

    private static final long KiB = 1 << 10;
    private static final long MiB = 1 << 20;
    /** How long a test waits for memory to go back: far above the purge delay and the cache's max age. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);
    private static final int WALK_STEPS = 3_000;
    private static final int WALKING_THREADS = 4;
    private static final int STEPS_PER_WALKING_THREAD = 2_000;
    /** Percent of the blocks a walking thread allocates that it hands to another thread to free. */
    private static final int HAND_OVER_PERCENT = 40;
    /** Blocks allocated after the faults stop, which must all succeed. */
    private static final int RECOVERY_ALLOCATIONS = 500;
    private static final String PURGE_FAILURES_LOGGER = "io.tinyalloc.core.PurgeFailures";

    private Faults faults;
    private Allocator allocator;
    private long maxSmallByteSize;
    /** Committed bytes right after the allocator was built: where they must come back to. */
    private long baselineCommittedBytes;
    /** Address space the engine holds beyond its reserved figure (its segment map), right after it was built. */
    private long untrackedHeldBytes;
    private long cacheLookupsAtStart;
    private final AtomicLong serials = new AtomicLong();

    @BeforeEach
    void openSwitch() {
        faults = Faults.open();
    }

    @AfterEach
    void closeAllocatorAndSwitch() {
        try {
            if (allocator != null) {
                faults.switchOff();
                allocator.close();
                if (!faults.memory().schedule().failing().contains(RELEASE)) {
                    assertEquals(0, faults.memory().heldByteSize(),
                            "address space still mapped after close(): " + faults.memory());
                }
            }
        } finally {
            faults.close();
        }
    }

    private void create(FaultSchedule schedule, Purge purge, String... extraLines) {
        allocator = TinyAlloc.create(FaultConf.of(schedule, purge, extraLines));
        AllocatorStats stats = allocator.stats();
        maxSmallByteSize = stats.sizeClasses().getLast().blockByteSize();
        baselineCommittedBytes = stats.committedBytes();
        untrackedHeldBytes = faults.memory().heldByteSize() - stats.reservedBytes();
        cacheLookupsAtStart = stats.largeCacheHits() + stats.largeCacheMisses();
    }

    // ---------------------------------------------------------------- purge failures

    /**
     * Guards the purge-failure policy: a failed decommit is logged once, with its errno, and is
     * not thrown into the free (or the allocation) that happened to trigger the purge.
     */
    @Test
    @Order(1)
    void purgeFailuresAreLoggedOnceWithTheirErrnoAndNeverThrownIntoAFree() throws Exception {
        ListAppender<ILoggingEvent> log = capture(PURGE_FAILURES_LOGGER);
        try {
            create(FaultSchedule.of(1, DECOMMIT), Purge.IMMEDIATE_DECOMMIT);
            faults.switchOn();
            onNewThread(() -> {
                for (int round = 0; round < 20; round++) {
                    allocateAndFreeAPageWorth();
                }
            });
            faults.switchOff();
            assertTrue(faults.memory().failures(DECOMMIT) >= 2, "too few purges failed to test anything: "
                    + faults.memory());
            List<ILoggingEvent> warnings = log.list.stream().filter(event -> event.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), "purge failure warnings (expected: the first one only): " + warnings);
            String message = warnings.getFirst().getFormattedMessage();
            assertTrue(message.contains("errno " + FaultSchedule.ENOMEM), "the warning does not name the errno: "
                    + message);
        } finally {
            release(log, PURGE_FAILURES_LOGGER);
        }
    }

    /**
     * Guards the purge-failure policy on every path that purges or gives memory back on a free
     * (a page, a whole small segment, a large region): whichever decommit fails, the free returns
     * normally. One in {@code every} decommits fails, so that some purges succeed and reach the
     * release of a segment whose pages are all clean.
     */
    @ParameterizedTest(name = "one decommit in {0} fails")
    @ValueSource(ints = {1, 2, 3})
    @Order(2)
    void freesNeverThrowWhilePurgesFail(int every) throws Exception {
        create(FaultSchedule.of(every, DECOMMIT), Purge.IMMEDIATE_DECOMMIT);
        faults.switchOn();
        onNewThread(() -> {
            for (int round = 0; round < 20; round++) {
                allocateAndFreeAPageWorth();
            }
        });
        faults.switchOff();
        assertTrue(faults.memory().failures(DECOMMIT) > 0, "no decommit failed: " + faults.memory());
        assertRecoversFully(new LiveBlocks());
    }

    /**
     * Guards the retry of failed purges: memory whose purge failed stays on the books as
     * committed, and is purged once the platform accepts again, so that committed memory goes
     * back to where it started.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("purges")
    @Order(3)
    void memoryWhosePurgeFailedIsPurgedOnceFaultsStop(Purge purge) throws Exception {
        PlatformOperation purgeCall = purge == Purge.DELAYED_RESET ? RESET : DECOMMIT;
        create(FaultSchedule.of(1, purgeCall), purge);
        faults.switchOn();
        onNewThread(this::allocateAndFreeAPageWorth);
        awaitFailures(purgeCall);
        faults.switchOff();
        assertCommittedReturnsToBaseline();
    }

    static Stream<Purge> purges() {
        return Stream.of(Purge.values());
    }

    // ---------------------------------------------------------------- allocation failures

    /**
     * Guards the {@link AllocationFailedException} contract: its requested size is the size the
     * caller asked for, not the size class it was rounded to.
     */
    @Test
    @Order(4)
    void aFailedSmallAllocationNamesTheSizeAskedFor() throws Exception {
        create(FaultSchedule.of(1, COMMIT), Purge.DELAYED_DECOMMIT);
        long byteSize = 100;
        faults.switchOn();
        onNewThread(() -> {
            AllocationFailedException e = assertThrows(AllocationFailedException.class,
                    () -> allocator.allocate(byteSize), "allocate(" + byteSize + ") while every commit fails");
            assertEquals(FaultSchedule.ENOMEM, e.errno(), e::toString);
            assertEquals(byteSize, e.requestedByteSize(), e::toString);
        });
    }

    /**
     * Guards the large cache against a failed commit: a purged cached region that cannot be
     * committed again stays in the cache (or is unmapped), never lost between the two while
     * still mapped.
     */
    @Test
    @Order(5)
    void aCachedLargeRegionWhoseCommitFailsIsNotLost() throws Exception {
        create(FaultSchedule.of(1, COMMIT), Purge.DELAYED_DECOMMIT, "large.cache-max-age = 1 h");
        long byteSize = MiB;
        onNewThread(() -> allocator.free(allocator.allocate(byteSize)));
        awaitStats(stats -> stats.purgedBytes() >= byteSize / 2, "the cached region to be purged");
        faults.switchOn();
        onNewThread(() -> {
            AllocationFailedException e = assertThrows(AllocationFailedException.class,
                    () -> allocator.allocate(byteSize), "allocate(1 MiB) while every commit fails");
            assertEquals(FaultSchedule.ENOMEM, e.errno(), e::toString);
        });
        faults.switchOff();
        assertAddressSpaceAccountedFor();
        onNewThread(() -> allocator.free(allocator.allocate(byteSize)));
        assertAddressSpaceAccountedFor();
    }

    /**
     * Guards creation under faults: an allocator that cannot map its own metadata fails with
     * {@link AllocationFailedException}, as {@link TinyAlloc#create} documents, and maps nothing.
     */
    @Test
    @Order(6)
    void anAllocatorThatCannotReserveItsMetadataFailsToBuildWithAllocationFailed() {
        faults.switchOn();
        AllocationFailedException e = assertThrows(AllocationFailedException.class,
                () -> TinyAlloc.create(FaultConf.of(FaultSchedule.of(1, RESERVE), Purge.DELAYED_DECOMMIT)).close());
        assertEquals(FaultSchedule.ENOMEM, e.errno(), e::toString);
        assertEquals(0, faults.memory().heldByteSize(), "a failed build left address space mapped: " + faults.memory());
    }

    // ---------------------------------------------------------------- random walks

    /** A schedule and a purge policy for a random walk. */
    record Scenario(FaultSchedule schedule, Purge purge) {
        @Override
        public String toString() {
            return schedule.failing() + " every " + schedule.every() + ", " + purge;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario(FaultSchedule.of(3, COMMIT), Purge.DELAYED_DECOMMIT),
                new Scenario(FaultSchedule.of(2, RESERVE), Purge.DELAYED_DECOMMIT),
                new Scenario(FaultSchedule.of(2, DECOMMIT), Purge.DELAYED_DECOMMIT),
                new Scenario(FaultSchedule.of(2, RESET), Purge.DELAYED_RESET),
                new Scenario(FaultSchedule.of(2, DECOMMIT), Purge.IMMEDIATE_DECOMMIT),
                new Scenario(FaultSchedule.of(2, RELEASE), Purge.DELAYED_DECOMMIT),
                new Scenario(FaultSchedule.of(5, RESERVE, COMMIT, DECOMMIT, RELEASE), Purge.DELAYED_DECOMMIT));
    }

    /**
     * Guards the whole fault contract on one thread: allocations (small, large, zeroed,
     * reallocations) succeed or throw {@link AllocationFailedException}, frees never throw, every
     * live block keeps its contents, the stats agree with the model after every step, and the
     * allocator recovers fully when the faults stop.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @Order(7)
    void aRandomWalkUnderFaultsKeepsBlocksAndStatsExactAndRecovers(Scenario scenario, SplittableRandom random)
            throws Exception {
        create(scenario.schedule(), scenario.purge());
        LiveBlocks live = new LiveBlocks();
        long[] failedAllocations = new long[1];
        onNewThread(() -> {
            FaultWalk walk = new FaultWalk(allocator, faults, random, live, maxSmallByteSize, serials);
            faults.switchOn();
            for (int step = 0; step < WALK_STEPS; step++) {
                walk.step();
                live.assertAgreesWith(allocator.stats(), cacheLookupsAtStart, "after step " + step);
            }
            faults.switchOff();
            failedAllocations[0] = walk.failedAllocations();
        });
        for (PlatformOperation operation : scenario.schedule().failing()) {
            assertTrue(faults.memory().failures(operation) > 0, "no " + operation.configName() + " failed in "
                    + WALK_STEPS + " steps: " + faults.memory());
        }
        assertRecoversFully(live);
    }

    /**
     * Guards the fault contract across threads: several threads allocate under faults and hand
     * blocks to each other to free, then end while holding blocks; the blocks keep their
     * contents, the stats agree with the model once the threads are done, and the allocator
     * recovers fully.
     */
    @Test
    @Order(8)
    void severalThreadsUnderFaultsKeepBlocksAndStatsExactAndRecover(SplittableRandom random) throws Exception {
        create(FaultSchedule.of(4, RESERVE, COMMIT, DECOMMIT), Purge.DELAYED_DECOMMIT);
        List<Queue<Block>> inboxes = Stream.<Queue<Block>>generate(ConcurrentLinkedQueue::new)
                .limit(WALKING_THREADS).toList();
        List<LiveBlocks> models = Stream.generate(LiveBlocks::new).limit(WALKING_THREADS).toList();
        List<SplittableRandom> randoms = Stream.generate(random::split).limit(WALKING_THREADS).toList();
        faults.switchOn();
        onNewThreads(WALKING_THREADS, thread -> walkAndHandOver(thread, inboxes, models.get(thread),
                randoms.get(thread)));
        faults.switchOff();
        assertTrue(faults.memory().failures() > 0, "no platform call failed: " + faults.memory());

        LiveBlocks live = new LiveBlocks();
        models.forEach(live::takeAll);
        inboxes.forEach(inbox -> inbox.forEach(live::add));
        live.assertAgreesWith(allocator.stats(), cacheLookupsAtStart, "after the threads ended");
        live.blocks().forEach(block -> block.check("after the threads that held it ended"));
        assertTrue(allocator.stats().crossThreadFrees() > 0, "no cross-thread free: " + allocator.stats());
        assertRecoversFully(live);
    }

    private void walkAndHandOver(int thread, List<Queue<Block>> inboxes, LiveBlocks model, SplittableRandom random) {
        FaultWalk walk = new FaultWalk(allocator, faults, random, model, maxSmallByteSize, serials);
        LiveBlocks handedOut = new LiveBlocks();
        for (int step = 0; step < STEPS_PER_WALKING_THREAD; step++) {
            Block allocated = walk.step();
            if (allocated != null && random.nextInt(100) < HAND_OVER_PERCENT) {
                // Moved from this thread's model to the other's inbox: the block counts once.
                model.removeLatest();
                inboxes.get((thread + 1 + random.nextInt(inboxes.size() - 1)) % inboxes.size()).add(allocated);
            }
            for (Block received; (received = inboxes.get(thread).poll()) != null; ) {
                walk.free(received);
            }
        }
    }

    // ---------------------------------------------------------------- recovery

    /**
     * With faults off: frees every live block (checking it), allocates and frees again on a new
     * thread, which must all succeed, then waits for committed memory to go back to its baseline
     * and checks that all the address space the platform holds is accounted for.
     */
    private void assertRecoversFully(LiveBlocks live) throws Exception {
        faults.switchOff();
        onNewThread(() -> {
            for (Block block : live.blocks()) {
                block.check("after the faults stopped");
                allocator.free(block.address());
            }
            LiveBlocks again = new LiveBlocks();
            FaultWalk walk = new FaultWalk(allocator, faults, new SplittableRandom(serials.get()), again,
                    maxSmallByteSize, serials);
            for (int i = 0; i < RECOVERY_ALLOCATIONS; i++) {
                assertNotNull(walk.allocate(i % 2 == 0), "allocation " + i + " after the faults stopped failed");
            }
            again.blocks().forEach(walk::free);
        });
        AllocatorStats stats = allocator.stats();
        assertEquals(0, stats.liveBlocks(), "live blocks after everything was freed: " + stats);
        assertEquals(0, stats.liveBytes(), "live bytes after everything was freed: " + stats);
        assertCommittedReturnsToBaseline();
        assertAddressSpaceAccountedFor();
    }

    private void assertCommittedReturnsToBaseline() throws InterruptedException {
        AllocatorStats stats = awaitStats(s -> s.committedBytes() <= baselineCommittedBytes,
                "committed memory to go back to " + baselineCommittedBytes + " bytes");
        assertTrue(stats.committedBytes() <= baselineCommittedBytes, "committed " + stats.committedBytes()
                + " bytes " + DEADLINE + " after everything was freed and the faults stopped, expected at most "
                + baselineCommittedBytes + ": " + stats + "; " + faults.memory());
    }

    /**
     * Fails if the platform holds address space that the allocator does not count as reserved:
     * a region it lost track of. Skipped when releases fail, which leave regions mapped by design.
     */
    private void assertAddressSpaceAccountedFor() {
        if (faults.memory().schedule().failing().contains(RELEASE)) {
            return;
        }
        AllocatorStats stats = allocator.stats();
        assertEquals(untrackedHeldBytes, faults.memory().heldByteSize() - stats.reservedBytes(),
                "address space held from the platform beyond the reserved figure (a region lost): " + stats + "; "
                        + faults.memory());
    }

    // ---------------------------------------------------------------- helpers

    /** Allocates more small blocks than a page holds and two large ones, then frees them all. */
    private void allocateAndFreeAPageWorth() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            blocks.add(allocator.allocate(KiB));
        }
        blocks.add(allocator.allocate(256 * KiB));
        blocks.add(allocator.allocate(256 * KiB + KiB));
        blocks.forEach(allocator::free);
    }

    private void awaitFailures(PlatformOperation operation) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (faults.memory().failures(operation) == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_INTERVAL);
        }
        assertTrue(faults.memory().failures(operation) > 0, "no " + operation.configName() + " failed within "
                + DEADLINE + ": " + faults.memory());
    }

    private AllocatorStats awaitStats(Predicate<AllocatorStats> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        AllocatorStats stats = allocator.stats();
        while (!condition.test(stats) && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_INTERVAL);
            stats = allocator.stats();
        }
        assertTrue(condition.test(stats), "waited " + DEADLINE + " for " + what + ": " + stats);
        return stats;
    }

    private static ListAppender<ILoggingEvent> capture(String loggerName) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(loggerName)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender, String loggerName) {
        ((Logger) LoggerFactory.getLogger(loggerName)).detachAppender(appender);
        appender.stop();
    }

    /** Runs {@code work} on a new platform thread, which ends before this returns; rethrows its failure. */
    private static void onNewThread(ThrowingRunnable work) throws InterruptedException {
        onNewThreads(1, thread -> work.run());
    }

    /** Runs {@code work(index)} on that many new platform threads and rethrows the first failure. */
    private static void onNewThreads(int count, ThreadWork work) throws InterruptedException {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int index = t;
            threads.add(Thread.ofPlatform().name("fault-worker-" + t).start(() -> {
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
            AssertionError error = new AssertionError(failures.size() + " of " + count + " threads failed: "
                    + failures.getFirst(), failures.getFirst());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface ThreadWork {
        void run(int thread) throws Exception;
    }
}
