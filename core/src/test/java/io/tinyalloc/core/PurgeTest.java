package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.TestEngines.Recipe;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each purge policy, seen through the counters: when empty pages go back, and when they stay. */
class PurgeTest {

    /** Enough 256-byte blocks to fill several 64 KiB pages: 4 MiB in all. */
    private static final int BLOCKS = 16_384;
    private static final long BLOCK_BYTE_SIZE = 256;
    /** How long the tests of "nothing is purged" watch: many times the short delays, far below the long one. */
    private static final Duration WATCH = Duration.ofMillis(200);

    @Test
    void theImmediatePolicyGivesEmptyPagesBack() throws InterruptedException {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurge("immediate"))) {
            long baseline = allocator.stats().committedBytes();
            long peak = fillAndEmpty(allocator);
            AllocatorStats stats = Purging.awaitStats(allocator,
                    s -> s.purges() > 0 && s.committedBytes() < peak - BLOCKS * BLOCK_BYTE_SIZE / 2);
            assertTrue(stats.purges() > 0 && stats.purgedBytes() > 0, "nothing purged: " + stats);
            assertTrue(stats.committedBytes() < peak - BLOCKS * BLOCK_BYTE_SIZE / 2, "committed " + stats.committedBytes()
                    + " after emptying, peak " + peak + ", baseline " + baseline + ": " + stats);
        }
    }

    @Test
    void theDelayedPolicyGivesEmptyPagesBackAfterItsDelay() throws InterruptedException {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurgeDelay(Duration.ofMillis(5)))) {
            long peak = fillAndEmpty(allocator);
            AllocatorStats stats = Purging.awaitStats(allocator,
                    s -> s.committedBytes() < peak - BLOCKS * BLOCK_BYTE_SIZE / 2);
            assertTrue(stats.purges() > 0 && stats.purgedBytes() > 0, "nothing purged: " + stats);
            assertTrue(stats.committedBytes() < peak - BLOCKS * BLOCK_BYTE_SIZE / 2,
                    "committed " + stats.committedBytes() + " after emptying, peak " + peak + ": " + stats);
        }
    }

    @Test
    void theDelayedPolicyKeepsEmptyPagesDuringItsDelay() throws InterruptedException {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurgeDelay(Duration.ofHours(1)))) {
            long peak = fillAndEmpty(allocator);
            AllocatorStats stats = Purging.awaitStats(allocator, s -> s.purges() > 0, WATCH);
            assertEquals(0, stats.purges(), "purged within an hour's delay: " + stats);
            // The waiting drives slow paths with allocations of its own, which may commit more.
            assertTrue(stats.committedBytes() >= peak, "committed dropped without a purge: " + stats);
        }
    }

    @Test
    void theNonePolicyNeverPurges() throws InterruptedException {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurge("none"))) {
            long peak = fillAndEmpty(allocator);
            AllocatorStats stats = Purging.awaitStats(allocator, s -> s.purges() > 0, WATCH);
            assertEquals(0, stats.purges(), "the 'none' policy purged: " + stats);
            // The waiting drives slow paths with allocations of its own, which may commit more.
            assertTrue(stats.committedBytes() >= peak, "committed dropped without a purge: " + stats);
        }
    }

    /**
     * Guards the retired budget being counted in touched bytes rather than in pages: a round of
     * two blocks in each of many classes, all freed, leaves one emptied page per class, each
     * touched in part. Those pages stay with their classes, free lists and all, so the next round
     * takes the block freed last again. With a budget of 16 pages, the pages of the classes past
     * the 16th went back to their segments and were carved afresh, handing out the block freed
     * first.
     */
    @Test
    void emptiedPagesOfManyClassesStayWithTheirClassesWhileTheirTouchedMemoryIsWithinTheBudget() {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurgeDelay(Duration.ofHours(1)))) {
            long[] sizes = allocator.stats().sizeClasses().stream().mapToLong(AllocatorStats.SizeClassStats::blockByteSize)
                    .toArray();
            long[] freedLast = new long[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                long first = allocator.allocate(sizes[i]);
                freedLast[i] = allocator.allocate(sizes[i]);
                allocator.free(first);
                allocator.free(freedLast[i]);
            }
            assertTrue(sizes.length > Heap.RETIRED_BUDGET_PAGES, sizes.length + " classes");
            for (int i = 0; i < sizes.length; i++) {
                long again = allocator.allocate(sizes[i]);
                assertEquals(freedLast[i], again, "class " + i + " of " + sizes.length + " (" + sizes[i]
                        + " bytes) lost its emptied page: 0x" + Long.toHexString(again) + " (expected: 0x"
                        + Long.toHexString(freedLast[i]) + ", the block freed last)");
                allocator.free(again);
            }
        }
    }

    /**
     * A thread that filled most of a page of many classes, freed everything and went idle keeps at most
     * {@link Heap#RETIRED_BUDGET_PAGES} pages' worth of touched memory in empty pages with their classes:
     * the others go back and are purged by the background purger although their owner never calls the
     * allocator again.
     */
    @Test
    void anIdleThreadKeepsFewEmptyPagesResident() throws Exception {
        Recipe recipe = Recipe.DEFAULT.withPurgeDelay(Duration.ofMillis(5)).withBackgroundPurge(true);
        long pageByteSize = recipe.pageByteSizes().getFirst();
        long[] sizes = java.util.stream.LongStream.iterate(16, size -> size <= 4096, size -> size + size / 8 + 16 & -16)
                .toArray();
        try (Allocator allocator = TestEngines.create(recipe)) {
            java.util.concurrent.CountDownLatch emptied = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread owner = Thread.ofPlatform().start(() -> {
                for (long size : sizes) {
                    long[] blocks = new long[(int) (pageByteSize * 9 / 10 / size)];   // most of one page
                    Arrays.setAll(blocks, i -> allocator.allocate(size));
                    Arrays.stream(blocks).forEach(allocator::free);
                }
                emptied.countDown();
                awaitQuietly(release);
            });
            try {
                emptied.await();
                long bound = (Heap.RETIRED_BUDGET_PAGES + 2) * pageByteSize;
                long deadline = System.nanoTime() + Purging.DEADLINE.toNanos();
                long committed = allocator.stats().committedBytes();
                while (committed > bound && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    committed = allocator.stats().committedBytes();
                }
                assertTrue(committed <= bound, sizes.length + " classes emptied by an idle thread leave " + committed
                        + " bytes committed (expected: at most " + bound + "): " + allocator.stats());
            } finally {
                release.countDown();
                owner.join();
            }
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void purgedPagesAreUsableAgain() throws InterruptedException {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withPurge("immediate"))) {
            fillAndEmpty(allocator);
            Purging.awaitStats(allocator, s -> s.purges() > 0);
            long[] blocks = new long[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                blocks[i] = allocator.allocateZeroed(BLOCK_BYTE_SIZE);
                assertEquals(-1, Patterns.firstNonZero(blocks[i], BLOCK_BYTE_SIZE), "block " + i);
                Patterns.fill(blocks[i], BLOCK_BYTE_SIZE, i);
            }
            for (int i = 0; i < BLOCKS; i++) {
                assertEquals(-1, Patterns.firstMismatch(blocks[i], BLOCK_BYTE_SIZE, i), "block " + i);
                allocator.free(blocks[i]);
            }
            assertEquals(0, allocator.stats().liveBlocks());
        }
    }

    /** Fills pages with blocks, frees them all and returns the committed bytes just after. */
    private static long fillAndEmpty(Allocator allocator) {
        long[] blocks = new long[BLOCKS];
        Arrays.setAll(blocks, i -> allocator.allocate(BLOCK_BYTE_SIZE));
        for (long block : blocks) {
            Patterns.at(block, BLOCK_BYTE_SIZE).fill((byte) 0x3C);
        }
        long peak = allocator.stats().committedBytes();
        for (long block : blocks) {
            allocator.free(block);
        }
        assertEquals(0, allocator.stats().liveBlocks());
        return peak;
    }
}
