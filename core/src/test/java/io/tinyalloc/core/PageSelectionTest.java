package io.tinyalloc.core;

import static io.tinyalloc.core.PageSelectionEngines.FIRST_FIT;
import static io.tinyalloc.core.PageSelectionEngines.LOWEST_ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.TestEngines.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@code lowest-address} page selection changes: which pages a class reuses after
 * fragmentation, and how many pages stay in use under churn, against {@code first-fit} on the
 * same steps.
 */
@ExtendWith(SeedExtension.class)
class PageSelectionTest {

    /** Purge off: a page that holds a block is never purged, so pages are compared as they fill. */
    private static final Recipe KEEP_PAGES = Recipe.DEFAULT.withPurge("none");
    /** Emptied pages and segments go back at once, so committed memory shows what the selection keeps. */
    private static final Recipe RELEASE_PAGES = Recipe.DEFAULT.withPurge("immediate").withLargeCache(0);

    private static final long BLOCK_BYTE_SIZE = 64;
    private static final int FILLED_PAGES = 8;
    /** The share of the freed blocks allocated again: enough for about two pages' holes. */
    private static final int REUSED_PART = 4;

    private static final int CHURN_PEAK_BLOCKS = 60_000;
    private static final int CHURN_LIVE_BLOCKS = 15_000;
    private static final int CHURN_STEPS = 150_000;
    private static final long CHURN_MAX_BYTE_SIZE = 512;

    @Test
    void lowestAddressRefillsTheLowestPagesFirst() {
        Reuse reuse = fragmentAndReuse(LOWEST_ADDRESS);

        assertTrue(reuse.highestReusedPage() <= reuse.lowestPageWithAHole(),
                "blocks allocated again went to page 0x" + Long.toHexString(reuse.highestReusedPage())
                        + " while page 0x" + Long.toHexString(reuse.lowestPageWithAHole()) + " had a hole");
    }

    @Test
    void firstFitRefillsThePagesInTheOrderTheyGotHoles() {
        Reuse reuse = fragmentAndReuse(FIRST_FIT);

        // The holes were made from the highest page down: the queue has the highest page first.
        assertTrue(reuse.lowestReusedPage() > reuse.lowestPageWithAHole(),
                "first fit was expected to refill the pages that got holes first, the highest");
    }

    @Test
    void lowestAddressKeepsFewerPagesAndLessMemoryAfterTheSameChurn(Seed seed) {
        AllocatorStats firstFit = churn(FIRST_FIT, seed.value());
        AllocatorStats lowestAddress = churn(LOWEST_ADDRESS, seed.value());

        assertEquals(firstFit.liveBlocks(), lowestAddress.liveBlocks(), "the same steps");
        assertTrue(pages(lowestAddress) < pages(firstFit),
                "pages in use: lowest-address " + pages(lowestAddress) + ", first-fit " + pages(firstFit));
        assertTrue(lowestAddress.committedBytes() < firstFit.committedBytes(),
                "committed bytes: lowest-address " + lowestAddress.committedBytes() + ", first-fit "
                        + firstFit.committedBytes());
    }

    /**
     * Fills {@value #FILLED_PAGES} pages with blocks of one class, frees every other block of all
     * but the last page, from the highest page down, and allocates a quarter of the freed count
     * again.
     */
    private static Reuse fragmentAndReuse(String pageSelection) {
        try (Allocator allocator = PageSelectionEngines.create(KEEP_PAGES, pageSelection)) {
            long pageByteSize = KEEP_PAGES.pageByteSizes().getFirst();
            int blocksPerPage = (int) blocksPerPage(allocator);
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < FILLED_PAGES * blocksPerPage; i++) {
                blocks.add(allocator.allocate(BLOCK_BYTE_SIZE));
            }
            // The last page, full, is the class's current page: holes there would be reused
            // first by either selection, without a slow path.
            TreeSet<Long> holes = new TreeSet<>();
            for (int i = blocks.size() - blocksPerPage - 1; i >= 0; i -= 2) {
                allocator.free(blocks.get(i));
                holes.add(blocks.get(i));
            }
            List<Long> reused = new ArrayList<>();
            for (int i = 0; i < holes.size() / REUSED_PART; i++) {
                reused.add(allocator.allocate(BLOCK_BYTE_SIZE));
            }
            assertTrue(holes.containsAll(reused), "every block allocated again fills a hole");
            reused.forEach(holes::remove);
            long highestReusedPage = reused.stream().mapToLong(b -> pageOf(b, pageByteSize)).max().orElseThrow();
            long lowestReusedPage = reused.stream().mapToLong(b -> pageOf(b, pageByteSize)).min().orElseThrow();
            return new Reuse(lowestReusedPage, highestReusedPage, pageOf(holes.first(), pageByteSize));
        }
    }

    private record Reuse(long lowestReusedPage, long highestReusedPage, long lowestPageWithAHole) {
    }

    /**
     * Grows to {@value #CHURN_PEAK_BLOCKS} blocks of sizes up to {@value #CHURN_MAX_BYTE_SIZE}
     * bytes, frees at random down to {@value #CHURN_LIVE_BLOCKS}, then frees a random block and
     * allocates one for {@value #CHURN_STEPS} steps. Returns the counters at the end.
     */
    private static AllocatorStats churn(String pageSelection, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (Allocator allocator = PageSelectionEngines.create(RELEASE_PAGES, pageSelection)) {
            long[] live = new long[CHURN_PEAK_BLOCKS];
            for (int i = 0; i < live.length; i++) {
                live[i] = allocator.allocate(1 + random.nextLong(CHURN_MAX_BYTE_SIZE));
            }
            int count = live.length;
            while (count > CHURN_LIVE_BLOCKS) {
                int victim = random.nextInt(count);
                allocator.free(live[victim]);
                live[victim] = live[--count];
            }
            for (int step = 0; step < CHURN_STEPS; step++) {
                int victim = random.nextInt(count);
                allocator.free(live[victim]);
                live[victim] = allocator.allocate(1 + random.nextLong(CHURN_MAX_BYTE_SIZE));
            }
            AllocatorStats stats = allocator.stats();
            for (int i = 0; i < count; i++) {
                allocator.free(live[i]);
            }
            return stats;
        }
    }

    private static long pages(AllocatorStats stats) {
        return stats.sizeClasses().stream().mapToLong(AllocatorStats.SizeClassStats::pages).sum();
    }

    private static long blocksPerPage(Allocator allocator) {
        return allocator.stats().sizeClasses().stream()
                .filter(sizeClass -> sizeClass.blockByteSize() == BLOCK_BYTE_SIZE)
                .findFirst().orElseThrow().blocksPerPage();
    }

    /** Pages are aligned to their size: segments are aligned to theirs ({@code masking}). */
    private static long pageOf(long block, long pageByteSize) {
        return block & -pageByteSize;
    }
}
