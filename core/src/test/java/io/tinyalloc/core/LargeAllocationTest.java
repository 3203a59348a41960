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
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Allocations above the largest size class: mapped on their own, and cached when freed. */
@ExtendWith(SeedExtension.class)
class LargeAllocationTest {

    private static final long ONE_MIB = MiB;
    private static final int ROUND_TRIPS = 2_000;
    /** The first round trip maps a region; later ones may not. */
    private static final long MAX_MISSES_FOR_ONE_SIZE = 1;
    private static final long SMALL_CACHE_BYTE_CAPACITY = 8 * MiB;
    private static final int DISTINCT_SIZES = 300;
    private static final int MAX_LIVE_LARGE_BLOCKS = 4;
    /**
     * Room for what a large block costs beyond its usable size (a segment header, rounding to OS
     * pages), summed over the live and cached blocks of the bounded-cache test.
     */
    private static final long OVERHEAD_SLACK_BYTES = 2 * MiB;
    /** A cache that nothing leaves by age or by the purge delay while a test runs. */
    private static final Recipe LONG_DELAY_CACHE = Recipe.DEFAULT.withLargeCache(64 * MiB).withPurgeDelay(Duration.ofHours(1));

    @Test
    void aRepeatedOneMiBAllocationIsServedFromTheCache() {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withLargeCache(64 * MiB))) {
            AllocatorStats before = allocator.stats();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                long address = allocator.allocate(ONE_MIB);
                Patterns.at(address, ONE_MIB).fill((byte) i);
                allocator.free(address);
            }
            AllocatorStats after = allocator.stats();
            long misses = after.largeCacheMisses() - before.largeCacheMisses();
            long hits = after.largeCacheHits() - before.largeCacheHits();
            assertTrue(misses <= MAX_MISSES_FOR_ONE_SIZE, misses + " misses in " + ROUND_TRIPS + " round trips: " + after);
            assertEquals(ROUND_TRIPS - misses, hits, "hits + misses must count every large allocation: " + after);
            assertEquals(0, after.largeLiveBlocks());
        }
    }

    @Test
    void withoutACacheEveryLargeAllocationMisses() {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withLargeCache(0))) {
            for (int i = 0; i < 50; i++) {
                allocator.free(allocator.allocate(ONE_MIB));
            }
            AllocatorStats stats = allocator.stats();
            assertEquals(0, stats.largeCacheHits(), stats.toString());
            assertEquals(50, stats.largeCacheMisses(), stats.toString());
        }
    }

    @Test
    void aCachedRegionServesASlightlySmallerRequestButNotOneThatWouldLeaveMuchOfItIdle() {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withLargeCache(64 * MiB))) {
            allocator.free(allocator.allocate(ONE_MIB));
            AllocatorStats before = allocator.stats();
            long slightlySmaller = allocator.allocate(ONE_MIB - ONE_MIB / 16);
            AllocatorStats after = allocator.stats();
            assertEquals(before.largeCacheHits() + 1, after.largeCacheHits(), "1/16 smaller should reuse the region");
            allocator.free(slightlySmaller);

            long halfSize = allocator.allocate(ONE_MIB / 2 + 4096);
            AllocatorStats last = allocator.stats();
            assertEquals(after.largeCacheHits(), last.largeCacheHits(),
                    "half the size should not take the 1 MiB region: " + last);
            assertEquals(after.largeCacheMisses() + 1, last.largeCacheMisses(), last.toString());
            allocator.free(halfSize);
        }
    }

    /**
     * Guards caching dirty a region that a reallocation moved away from once the cache had served
     * it before: purged at once, a program that grew its buffers through the same sizes again
     * faulted every page of them back in.
     */
    @Test
    void aReusedRegionThatAReallocationMovedAwayFromIsCachedDirty() {
        try (Allocator allocator = TestEngines.create(LONG_DELAY_CACHE)) {
            allocator.free(allocator.allocate(ONE_MIB));
            long buffer = allocator.allocate(ONE_MIB); // the cache serves the region again
            Patterns.fill(buffer, ONE_MIB, 1);
            long grown = allocator.reallocate(buffer, 2 * ONE_MIB);
            assertEquals(-1, Patterns.firstMismatch(grown, ONE_MIB, 1), "the contents should have moved");
            allocator.free(grown);
            AllocatorStats before = allocator.stats();
            long again = allocator.allocate(ONE_MIB);
            AllocatorStats after = allocator.stats();
            assertEquals(before.largeCacheHits() + 1, after.largeCacheHits(), "1 MiB again should hit the cache: " + after);
            assertEquals(0, after.purges(), "nothing should have been purged within the purge delay: " + after);
            allocator.free(again);
        }
    }

    /**
     * Guards purging at once a region mapped for a block that a reallocation then moved away from:
     * a buffer grown once rarely comes back to its old sizes, and keeping the region resident for
     * the purge delay raised a replay's peak committed bytes.
     */
    @Test
    void aFreshRegionThatAReallocationMovedAwayFromIsPurgedAtOnce() {
        try (Allocator allocator = TestEngines.create(LONG_DELAY_CACHE)) {
            long buffer = allocator.allocate(ONE_MIB);
            Patterns.fill(buffer, ONE_MIB, 1);
            long grown = allocator.reallocate(buffer, 2 * ONE_MIB);
            AllocatorStats after = allocator.stats();
            assertEquals(1, after.purges(), "the 1 MiB region should have been purged: " + after);
            assertEquals(-1, Patterns.firstMismatch(grown, ONE_MIB, 1), "the contents should have moved");
            allocator.free(grown);
        }
    }

    @Test
    void aCachedRegionComesBackZeroedWhenAskedZeroed() {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withLargeCache(64 * MiB))) {
            long dirty = allocator.allocate(ONE_MIB);
            Patterns.at(dirty, allocator.usableSize(dirty)).fill((byte) 0x77);
            allocator.free(dirty);
            long hitsBefore = allocator.stats().largeCacheHits();
            long zeroed = allocator.allocateZeroed(ONE_MIB);
            assertEquals(hitsBefore + 1, allocator.stats().largeCacheHits(), "the second 1 MiB should hit the cache");
            assertEquals(-1, Patterns.firstNonZero(zeroed, ONE_MIB));
            allocator.free(zeroed);
        }
    }

    @Test
    void committedMemoryStaysWithinTheCacheCapacityPlusWhatIsLive(Seed seed) {
        SplittableRandom random = seed.random();
        Recipe recipe = Recipe.DEFAULT.withLargeCache(SMALL_CACHE_BYTE_CAPACITY).withPurge("none");
        try (Allocator allocator = TestEngines.create(recipe)) {
            long baseline = allocator.stats().committedBytes();
            Deque<Long> live = new ArrayDeque<>();
            long liveUsable = 0;
            for (int i = 0; i < DISTINCT_SIZES; i++) {
                long size = random.nextLong(128 * KiB, 4 * MiB) | 1;   // odd: never the same region size twice in a row
                long address = allocator.allocate(size);
                Patterns.at(address, Math.min(size, 4 * KiB)).fill((byte) 1);
                live.addLast(address);
                liveUsable += allocator.usableSize(address);
                if (live.size() > MAX_LIVE_LARGE_BLOCKS) {
                    long oldest = live.removeFirst();
                    liveUsable -= allocator.usableSize(oldest);
                    allocator.free(oldest);
                }
                AllocatorStats stats = allocator.stats();
                long bound = baseline + SMALL_CACHE_BYTE_CAPACITY + liveUsable + OVERHEAD_SLACK_BYTES;
                assertTrue(stats.committedBytes() <= bound, "after " + (i + 1) + " large allocations committed is "
                        + stats.committedBytes() + " bytes, above baseline " + baseline + " + cache capacity "
                        + SMALL_CACHE_BYTE_CAPACITY + " + live " + liveUsable + " + slack " + OVERHEAD_SLACK_BYTES);
            }
            live.forEach(allocator::free);
            assertEquals(0, allocator.stats().largeLiveBlocks());
        }
    }
}
