package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.TestEngines.Recipe;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.StrategyContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batched remote frees ({@link RemoteFreeBatches}): blocks freed by threads that do not own
 * their heap come back to their owner, once, intact, with exact statistics; a second free of a
 * block that waits in a batch is reported; and memory goes back when the freeing threads go
 * idle.
 */
@ExtendWith(SeedExtension.class)
class RemoteFreeBatchesTest {

    private static final int BATCH_SIZE = 16;
    private static final long BLOCK_BYTE_SIZE = 64;
    private static final long PURGE_DELAY_NANOS = Duration.ofMillis(10).toNanos();
    /** How long the purge test waits at most for memory to go back: far more than the delay and a tick. */
    private static final long PURGE_WAIT_NANOS = Duration.ofSeconds(5).toNanos();

    // ------------------------------------------------------------------ blocks come back to their owner

    @Test
    void blocksFreedByAnotherThreadAreReusedByTheirOwnerAfterItCollectsThem() throws InterruptedException {
        try (Allocator allocator = batched(false)) {
            int count = 2_000;
            long[] blocks = allocateAll(allocator, count, BLOCK_BYTE_SIZE);
            long committedBefore = allocator.stats().committedBytes();

            onOtherThread(() -> {
                for (long block : blocks) {
                    allocator.free(block);
                }
                allocator.free(allocator.allocate(BLOCK_BYTE_SIZE)); // its first slow path sends its last batch
            });
            assertEquals(0, allocator.stats().liveBlocks(), "blocks waiting for their owner do not count as live");

            // The owner's current page still has blocks it never handed out: they come first.
            int pageCapacity = PageDescriptor.capacityOf(64 * KiB, BLOCK_BYTE_SIZE);
            long[] again = allocateAll(allocator, count + pageCapacity, BLOCK_BYTE_SIZE);
            Set<Long> reused = toSet(again);
            assertEquals(again.length, reused.size(), "a block was handed out twice");
            for (long block : blocks) {
                assertTrue(reused.contains(block), "0x" + Long.toHexString(block) + " never came back to its owner");
            }
            assertTrue(allocator.stats().committedBytes() <= committedBefore + 2 * 64 * KiB, // the extra page only
                    "the owner reused the freed blocks rather than new memory");
            freeAll(allocator, again);
        }
    }

    @Test
    void aBatchThatIsNotFullIsSentWhenItsThreadAllocatesOnASlowPath() throws InterruptedException {
        try (Allocator allocator = batched(false)) {
            long[] blocks = allocateAll(allocator, BATCH_SIZE / 2, BLOCK_BYTE_SIZE);
            CountDownLatch freed = new CountDownLatch(1);
            CountDownLatch sent = new CountDownLatch(1);
            Thread freer = Thread.ofPlatform().start(() -> {
                freeAll(allocator, blocks);
                freed.countDown();
                allocator.free(allocator.allocate(BLOCK_BYTE_SIZE));
                sent.countDown();
            });
            freed.await();
            sent.await();
            freer.join();

            Set<Long> reused = toSet(allocateAll(allocator, 4 * (int) (PageDescriptor.capacityOf(64 * KiB, BLOCK_BYTE_SIZE)),
                    BLOCK_BYTE_SIZE));
            for (long block : blocks) {
                assertTrue(reused.contains(block), "0x" + Long.toHexString(block) + " never came back to its owner");
            }
        }
    }

    // ------------------------------------------------------------------ many threads: nothing lost or duplicated

    @Test
    void threadsThatFreeEachOthersBlocksLoseAndDuplicateNothing(Seed seed) throws InterruptedException {
        int threads = 4;
        int blocksPerThread = 20_000;
        int keptPerThread = 100;
        try (Allocator allocator = batched(false)) {
            Set<Long> live = ConcurrentHashMap.newKeySet();
            List<BlockingQueue<long[]>> inboxes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                inboxes.add(new ArrayBlockingQueue<>(blocksPerThread));
            }
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<long[]> kept = new CopyOnWriteArrayList<>();
            AtomicLong serials = new AtomicLong();
            CountDownLatch producing = new CountDownLatch(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int self = t;
                SplittableRandom random = new SplittableRandom(seed.value() + t);
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        BlockingQueue<long[]> next = inboxes.get((self + 1) % threads);
                        for (int i = 0; i < blocksPerThread; i++) {
                            long byteSize = 8 + random.nextInt(1_000);
                            long address = allocator.allocate(byteSize);
                            if (!live.add(address)) {
                                throw new AssertionError("0x" + Long.toHexString(address) + " handed out while live");
                            }
                            long serial = serials.incrementAndGet();
                            Patterns.fill(address, byteSize, serial);
                            long[] block = {address, byteSize, serial};
                            if (i < keptPerThread) {
                                kept.add(block);
                            } else {
                                next.put(block);
                            }
                            freeReceived(allocator, inboxes.get(self), live, random.nextInt(3));
                        }
                        producing.countDown();
                        // Drains its own queue while others may still put in it, then once more:
                        // every put happened before the count reached 0.
                        while (producing.getCount() > 0 && failures.isEmpty()) {
                            freeReceived(allocator, inboxes.get(self), live, Integer.MAX_VALUE);
                            Thread.onSpinWait();
                        }
                        freeReceived(allocator, inboxes.get(self), live, Integer.MAX_VALUE);
                    } catch (Throwable e) {
                        failures.add(e);
                        producing.countDown();
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            if (!failures.isEmpty()) {
                fail("seed " + seed + ": " + failures.getFirst(), failures.getFirst());
            }

            AllocatorStats stats = allocator.stats();
            assertEquals(threads * keptPerThread, stats.liveBlocks(), "seed " + seed + ": live blocks");
            for (long[] block : kept) {
                checkPattern(block);
                allocator.free(block[0]);
            }
            assertEquals(0, allocator.stats().liveBlocks(), "seed " + seed + ": live blocks after freeing all");
        }
    }

    /** Frees up to {@code most} blocks received from another thread, checking each; returns how many. */
    private static int freeReceived(Allocator allocator, BlockingQueue<long[]> inbox, Set<Long> live, int most) {
        int freed = 0;
        long[] block;
        while (freed < most && (block = inbox.poll()) != null) {
            checkPattern(block);
            live.remove(block[0]);
            allocator.free(block[0]);
            freed++;
        }
        return freed;
    }

    private static void checkPattern(long[] block) {
        long mismatch = Patterns.firstMismatch(block[0], block[1], block[2]);
        if (mismatch >= 0) {
            throw new AssertionError(Patterns.describeMismatch(block[0], mismatch, block[2]));
        }
    }

    // ------------------------------------------------------------------ double frees

    @Test
    void aSecondFreeOfABlockWaitingInTheFreeingThreadsBatchIsReported() throws InterruptedException {
        try (Allocator allocator = batched(false)) {
            long block = allocator.allocate(BLOCK_BYTE_SIZE);

            onOtherThread(() -> {
                allocator.free(block);
                IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> allocator.free(block));
                assertTrue(failure.getMessage().contains("double free"), failure.getMessage());
            });
        }
    }

    @Test
    void aFreeByTheOwnerOfABlockWaitingInAnotherThreadsBatchIsReported() throws InterruptedException {
        try (Allocator allocator = batched(false)) {
            long block = allocator.allocate(BLOCK_BYTE_SIZE);
            onOtherThread(() -> allocator.free(block));

            IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> allocator.free(block));
            assertTrue(failure.getMessage().contains("double free"), failure.getMessage());
            assertThrows(IllegalArgumentException.class, () -> allocator.usableSize(block));
        }
    }

    @Test
    void aSecondFreeOfABlockSentToItsOwnersInboxIsReported() throws InterruptedException {
        try (Allocator allocator = batched(false)) {
            long[] blocks = allocateAll(allocator, BATCH_SIZE, BLOCK_BYTE_SIZE);
            onOtherThread(() -> freeAll(allocator, blocks)); // a full batch: sent at once

            for (long block : blocks) {
                IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                        () -> onOtherThreadRethrowing(() -> allocator.free(block)));
                assertTrue(failure.getMessage().contains("double free"), failure.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ idle freeing threads

    @Test
    void memoryGoesBackAfterThePurgeDelayWhenTheFreeingThreadsGoIdle() throws InterruptedException {
        try (Allocator allocator = batched(true)) {
            long baseline = allocator.stats().committedBytes();
            int freeingThreads = 3;
            List<long[]> shares = new ArrayList<>();
            onOtherThread(() -> { // an owner that hands everything over and ends
                long[] blocks = allocateAll(allocator, 3 * 16_384 + 7, 256);
                int share = (blocks.length + freeingThreads - 1) / freeingThreads;
                for (int from = 0; from < blocks.length; from += share) {
                    shares.add(java.util.Arrays.copyOfRange(blocks, from, Math.min(blocks.length, from + share)));
                }
            });
            assertTrue(allocator.stats().committedBytes() > baseline + 8 * MiB, "the blocks took memory");

            CountDownLatch freed = new CountDownLatch(freeingThreads);
            CountDownLatch end = new CountDownLatch(1);
            List<Thread> idlers = new ArrayList<>();
            for (long[] share : shares) {
                idlers.add(Thread.ofPlatform().start(() -> {
                    freeAll(allocator, share);
                    freed.countDown();
                    awaitQuietly(end); // alive and idle: its last, partial batches stay with it
                }));
            }
            try {
                freed.await();
                long deadline = System.nanoTime() + PURGE_WAIT_NANOS;
                long committed;
                // Exactly the baseline: a block left in an idle thread's batch would keep its page, and so its segment.
                while ((committed = allocator.stats().committedBytes()) > baseline && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(baseline, committed, "committed bytes once the freeing threads went idle");
                assertEquals(0, allocator.stats().liveBlocks(), "live blocks once the purger is done");
            } finally {
                end.countDown();
                for (Thread idler : idlers) {
                    idler.join();
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A default engine with batched remote frees of {@link #BATCH_SIZE} blocks and checks on. */
    private static Allocator batched(boolean backgroundPurge) {
        Recipe recipe = Recipe.DEFAULT.withBackgroundPurge(backgroundPurge);
        PageLookupProvider lookupProvider = ServiceLoader.load(PageLookupProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(provider -> provider.name().equals(recipe.pageLookup()))
                .findFirst().orElseThrow();
        PageLookup lookup = lookupProvider.create(new StrategyContext(lookupProvider.defaults().withFallback(
                ConfigFactory.empty()), TestEngines.osPageByteSize(), recipe.segmentByteSize()));
        PurgePolicy delayed = () -> PURGE_DELAY_NANOS;
        RemoteFree remoteFree = new RemoteFree() {
            @Override
            public Delivery delivery() {
                return Delivery.BATCHED;
            }

            @Override
            public int batchSize() {
                return BATCH_SIZE;
            }
        };
        return Engine.create(TestEngines.settings(recipe), TestEngines.platform(), TestEngines.sizeClasses(recipe),
                lookup, delayed, () -> io.tinyalloc.spi.PageSelection.Order.QUEUE, remoteFree);
    }

    private static long[] allocateAll(Allocator allocator, int count, long byteSize) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = allocator.allocate(byteSize);
        }
        return blocks;
    }

    private static void freeAll(Allocator allocator, long[] blocks) {
        for (long block : blocks) {
            allocator.free(block);
        }
    }

    private static Set<Long> toSet(long[] blocks) {
        Set<Long> set = new HashSet<>();
        for (long block : blocks) {
            set.add(block);
        }
        return set;
    }

    /** Runs {@code action} on a new platform thread and waits for it; a failure there fails the test. */
    private static void onOtherThread(Runnable action) throws InterruptedException {
        List<Throwable> failure = new CopyOnWriteArrayList<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure.add(e);
            }
        });
        thread.join();
        if (!failure.isEmpty()) {
            fail(failure.getFirst());
        }
    }

    /** {@link #onOtherThread}, rethrowing the other thread's runtime exception as is. */
    private static void onOtherThreadRethrowing(Runnable action) {
        List<RuntimeException> failure = new CopyOnWriteArrayList<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                failure.add(e);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (!failure.isEmpty()) {
            throw failure.getFirst();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
