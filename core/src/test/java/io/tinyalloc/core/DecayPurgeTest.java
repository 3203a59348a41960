package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.core.TestEngines.Recipe;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.StrategyContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A two-phase purge policy ({@link PurgePolicy#decommitDelayNanos()}), seen through the system
 * calls it makes: every purged range of a small page or a large region is reset, then
 * decommitted, each once; reuse in between re-arms both phases, and reused reset memory is
 * correct (zeroed allocations read zero, free lists are carved afresh).
 *
 * <p>The engines run the background purger, so that nothing but the engine's own clock drives
 * the phases, and are built with {@link Engine#create} directly, over a platform that records
 * each reset and decommit.
 */
class DecayPurgeTest {

    private static final long RESET_DELAY_NANOS = Duration.ofMillis(5).toNanos();
    /**
     * Long enough that the purger, even descheduled a while on a busy machine, sees the reset
     * due before the decommit: one that finds both due skips the reset (a test of its own).
     */
    private static final long DECOMMIT_DELAY_NANOS = Duration.ofMillis(200).toNanos();
    /** A decommit delay that no test waits out: only resets happen. */
    private static final long NO_DECOMMIT_SOON_NANOS = Duration.ofHours(1).toNanos();
    /** 256-byte blocks enough to fill 64 pages of 64 KiB: 4 MiB in all. */
    private static final int SMALL_BLOCKS = 16_384;
    private static final long SMALL_BLOCK_BYTE_SIZE = 256;
    private static final int LARGE_BLOCKS = 8;
    private static final long LARGE_BLOCK_BYTE_SIZE = 1L << 20;
    private static final byte FILL = 0x3C;
    /** How long a test waits for the purger, far above any delay used here. */
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** How long a test watches for something that must not happen: beyond every deadline due. */
    private static final Duration WATCH = Duration.ofMillis(300);

    private static final Recipe RECIPE = Recipe.DEFAULT.withBackgroundPurge(true);

    @Test
    void smallPagesAreResetThenDecommittedEachOnce() throws InterruptedException {
        RecordingPlatform platform = new RecordingPlatform(TestEngines.platform(), RECIPE.segmentByteSize());
        try (Allocator allocator = create(platform, RESET_DELAY_NANOS, DECOMMIT_DELAY_NANOS)) {
            freeAll(allocator, fillSmall(allocator));

            platform.awaitPurges(byRange -> byRange.size() >= pagesOf(SMALL_BLOCKS * SMALL_BLOCK_BYTE_SIZE) / 2
                    && byRange.values().stream().allMatch(kinds -> kinds.contains(Kind.DECOMMIT)));
            Map<Long, List<Kind>> purges = platform.purgesAfter(WATCH);

            assertTrue(purges.size() >= pagesOf(SMALL_BLOCKS * SMALL_BLOCK_BYTE_SIZE) / 2,
                    "too few pages purged: " + purges);
            purges.forEach((start, kinds) -> assertEquals(List.of(Kind.RESET, Kind.DECOMMIT), kinds,
                    "purges of the page at 0x" + Long.toHexString(start)));
            assertEquals(2L * purges.size(), allocator.stats().purges(), "purges counted: " + allocator.stats());
        }
    }

    @Test
    void largeRegionsAreResetThenDecommittedEachOnce() throws InterruptedException {
        RecordingPlatform platform = new RecordingPlatform(TestEngines.platform(), RECIPE.segmentByteSize());
        try (Allocator allocator = create(platform, RESET_DELAY_NANOS, DECOMMIT_DELAY_NANOS)) {
            freeAll(allocator, fillLarge(allocator));

            platform.awaitPurges(byRange -> byRange.size() == LARGE_BLOCKS
                    && byRange.values().stream().allMatch(kinds -> kinds.contains(Kind.DECOMMIT)));
            Map<Long, List<Kind>> purges = platform.purgesAfter(WATCH);

            assertEquals(LARGE_BLOCKS, purges.size(), "regions purged: " + purges);
            purges.forEach((start, kinds) -> assertEquals(List.of(Kind.RESET, Kind.DECOMMIT), kinds,
                    "purges of the region at 0x" + Long.toHexString(start)));
            long headerPages = LARGE_BLOCKS * TestEngines.osPageByteSize();
            assertTrue(allocator.stats().committedBytes() <= headerPages,
                    "decommitted regions still count: " + allocator.stats());
        }
    }

    /**
     * Reset pages are reused before their decommit: each is carved afresh (its old free list may
     * have been zeroed by the system), zeroed allocations read zero, and once freed again it is
     * reset again after the reset delay, counted from the new free.
     */
    @Test
    void reusingResetSmallPagesIsCorrectAndReArmsThePurge() throws InterruptedException {
        RecordingPlatform platform = new RecordingPlatform(TestEngines.platform(), RECIPE.segmentByteSize());
        try (Allocator allocator = create(platform, RESET_DELAY_NANOS, NO_DECOMMIT_SOON_NANOS)) {
            freeAll(allocator, fillSmall(allocator));
            int minimumPages = (int) pagesOf(SMALL_BLOCKS * SMALL_BLOCK_BYTE_SIZE) / 2;
            Map<Long, List<Kind>> firstRound = platform.awaitPurges(byRange -> byRange.size() >= minimumPages);
            long committedWhileReset = allocator.stats().committedBytes();

            long[] blocks = new long[SMALL_BLOCKS];
            for (int i = 0; i < SMALL_BLOCKS; i++) {
                blocks[i] = allocator.allocateZeroed(SMALL_BLOCK_BYTE_SIZE);
                assertEquals(-1, Patterns.firstNonZero(blocks[i], SMALL_BLOCK_BYTE_SIZE), "zeroed block " + i);
                Patterns.fill(blocks[i], SMALL_BLOCK_BYTE_SIZE, i);
            }
            for (int i = 0; i < SMALL_BLOCKS; i++) {
                assertEquals(-1, Patterns.firstMismatch(blocks[i], SMALL_BLOCK_BYTE_SIZE, i), "block " + i);
            }
            assertTrue(allocator.stats().committedBytes() <= committedWhileReset + SMALL_BLOCKS * SMALL_BLOCK_BYTE_SIZE / 8,
                    "reset pages were not reused: committed " + allocator.stats().committedBytes() + " after, "
                            + committedWhileReset + " before");
            freeAll(allocator, blocks);

            // All the pages of the first round but one: the page the class holds as its current
            // page stays retired with it, and the retired pages of a thread that stopped
            // allocating are released at its next tick, not by the purger. When the first round
            // caught exactly the minimum, that page may be one of them.
            long minimumReArmed = Math.min(minimumPages, firstRound.size() - 1);
            platform.awaitPurges(byRange -> firstRound.keySet().stream()
                    .filter(start -> byRange.get(start).size() == 2).count() >= minimumReArmed);
            Map<Long, List<Kind>> secondRound = platform.purgesAfter(WATCH);

            long reArmed = firstRound.keySet().stream().filter(start -> secondRound.get(start).size() == 2).count();
            assertTrue(reArmed >= minimumReArmed, reArmed + " pages reset again after their reuse: " + secondRound);
            secondRound.forEach((start, kinds) -> assertTrue(kinds.stream().allMatch(Kind.RESET::equals),
                    "purges of the page at 0x" + Long.toHexString(start) + " within an hour's decommit delay: " + kinds));
        }
    }

    @Test
    void reusingAResetLargeRegionReadsZeroWhenAskedAndReArmsThePurge() throws InterruptedException {
        RecordingPlatform platform = new RecordingPlatform(TestEngines.platform(), RECIPE.segmentByteSize());
        try (Allocator allocator = create(platform, RESET_DELAY_NANOS, NO_DECOMMIT_SOON_NANOS)) {
            freeAll(allocator, fillLarge(allocator));
            platform.awaitPurges(byRange -> byRange.size() == LARGE_BLOCKS);

            long[] blocks = new long[LARGE_BLOCKS];
            for (int i = 0; i < LARGE_BLOCKS; i++) {
                blocks[i] = allocator.allocateZeroed(LARGE_BLOCK_BYTE_SIZE);
                assertEquals(-1, Patterns.firstNonZero(blocks[i], LARGE_BLOCK_BYTE_SIZE), "zeroed large block " + i);
            }
            assertEquals(LARGE_BLOCKS, allocator.stats().largeCacheHits(), "reset regions not reused: " + allocator.stats());
            freeAll(allocator, blocks);

            platform.awaitPurges(byRange -> byRange.values().stream().allMatch(kinds -> kinds.size() == 2));
            Map<Long, List<Kind>> purges = platform.purgesAfter(WATCH);
            purges.forEach((start, kinds) -> assertEquals(List.of(Kind.RESET, Kind.RESET), kinds,
                    "purges of the region at 0x" + Long.toHexString(start)));
        }
    }

    @Test
    void aDecommitDelayOfZeroDecommitsWithoutAReset() throws InterruptedException {
        RecordingPlatform platform = new RecordingPlatform(TestEngines.platform(), RECIPE.segmentByteSize());
        try (Allocator allocator = create(platform, RESET_DELAY_NANOS, 0)) {
            freeAll(allocator, fillSmall(allocator));
            freeAll(allocator, fillLarge(allocator));

            platform.awaitPurges(byRange -> byRange.size() >= LARGE_BLOCKS
                    + pagesOf(SMALL_BLOCKS * SMALL_BLOCK_BYTE_SIZE) / 2);
            Map<Long, List<Kind>> purges = platform.purgesAfter(WATCH);

            purges.forEach((start, kinds) -> assertEquals(List.of(Kind.DECOMMIT), kinds,
                    "purges of the range at 0x" + Long.toHexString(start)));
        }
    }

    // ------------------------------------------------------------------ engines and workloads

    /** A policy that resets after one delay and decommits after a second. */
    private record TwoPhasePolicy(long purgeDelayNanos, long decommitDelayNanos) implements PurgePolicy {

        @Override
        public PurgeKind purgeKind() {
            return PurgeKind.RESET;
        }
    }

    private static Allocator create(PlatformMemory platform, long resetDelayNanos, long decommitDelayNanos) {
        PageLookupProvider lookupProvider = ServiceLoader.load(PageLookupProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals(RECIPE.pageLookup()))
                .findFirst()
                .orElseThrow();
        PageLookup lookup = lookupProvider.create(new StrategyContext(lookupProvider.defaults(),
                platform.pageByteSize(), RECIPE.segmentByteSize()));
        return Engine.create(TestEngines.settings(RECIPE), platform, TestEngines.sizeClasses(RECIPE), lookup,
                new TwoPhasePolicy(resetDelayNanos, decommitDelayNanos));
    }

    private static long pagesOf(long byteSize) {
        return byteSize / RECIPE.pageByteSizes().getFirst();
    }

    private static long[] fillSmall(Allocator allocator) {
        return fill(allocator, SMALL_BLOCKS, SMALL_BLOCK_BYTE_SIZE);
    }

    private static long[] fillLarge(Allocator allocator) {
        return fill(allocator, LARGE_BLOCKS, LARGE_BLOCK_BYTE_SIZE);
    }

    private static long[] fill(Allocator allocator, int count, long byteSize) {
        long[] blocks = new long[count];
        Arrays.setAll(blocks, i -> allocator.allocate(byteSize));
        for (long block : blocks) {
            Patterns.at(block, byteSize).fill(FILL);
        }
        return blocks;
    }

    private static void freeAll(Allocator allocator, long[] blocks) {
        for (long block : blocks) {
            allocator.free(block);
        }
    }

    // ------------------------------------------------------------------ the recording platform

    private enum Kind { RESET, DECOMMIT }

    /**
     * The real platform, recording each reset and decommit of a range smaller than a segment: the
     * purges of pages and large regions. Whole segments decommitted when they are released are
     * not purges, and are left out.
     */
    private static final class RecordingPlatform implements PlatformMemory {

        private final PlatformMemory platform;
        private final long segmentByteSize;
        private final List<long[]> purges = new ArrayList<>();

        RecordingPlatform(PlatformMemory platform, long segmentByteSize) {
            this.platform = platform;
            this.segmentByteSize = segmentByteSize;
        }

        /** Polls the purges, grouped by range start in order, until {@code done} holds; returns the last view. */
        Map<Long, List<Kind>> awaitPurges(Predicate<Map<Long, List<Kind>>> done) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            Map<Long, List<Kind>> byRange = purgesByRange();
            while (!done.test(byRange) && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
                byRange = purgesByRange();
            }
            return byRange;
        }

        /** Waits {@code quiet}, many times every delay, so that what was due has happened; returns the purges. */
        Map<Long, List<Kind>> purgesAfter(Duration quiet) throws InterruptedException {
            Thread.sleep(quiet);
            return purgesByRange();
        }

        synchronized Map<Long, List<Kind>> purgesByRange() {
            Map<Long, List<Kind>> byRange = new LinkedHashMap<>();
            for (long[] purge : purges) {
                byRange.computeIfAbsent(purge[0], start -> new ArrayList<>()).add(Kind.values()[(int) purge[1]]);
            }
            return byRange;
        }

        private synchronized void record(long address, long byteSize, Kind kind) {
            if (byteSize < segmentByteSize) {
                purges.add(new long[] {address, kind.ordinal()});
            }
        }

        @Override
        public long pageByteSize() {
            return platform.pageByteSize();
        }

        @Override
        public long reserve(long byteSize, long byteAlignment) {
            return platform.reserve(byteSize, byteAlignment);
        }

        @Override
        public void commit(long address, long byteSize) {
            platform.commit(address, byteSize);
        }

        @Override
        public void decommit(long address, long byteSize) {
            platform.decommit(address, byteSize);
            record(address, byteSize, Kind.DECOMMIT);
        }

        @Override
        public void reset(long address, long byteSize) {
            platform.reset(address, byteSize);
            record(address, byteSize, Kind.RESET);
        }

        @Override
        public void release(long address, long byteSize) {
            platform.release(address, byteSize);
        }

        @Override
        public void protect(long address, long byteSize, Protection protection) {
            platform.protect(address, byteSize, protection);
        }
    }
}
