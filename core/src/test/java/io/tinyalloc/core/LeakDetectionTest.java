package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tinyalloc.Allocator;
import io.tinyalloc.LeakReport;
import io.tinyalloc.core.EngineSettings.LeakDetection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Leak reports: {@code leak-detection = all} names the site of every live block, {@code sampled}
 * the site of a sample, {@code off} gives totals; a close with blocks live logs the report.
 * Each test fails if its mode stops tracking sites, stops forgetting freed blocks, or stops
 * logging at close.
 */
class LeakDetectionTest {

    private static final long SMALL = 64;
    private static final long LARGE = 1L << 20;
    /** Enough small blocks for many page refills, so that sampling tracks several of them. */
    private static final int MANY_SMALL = 1_000_000;
    /** Enough large allocations that map (a leak drains the cache) for a few samples. */
    private static final int MANY_LARGE = 3 * EngineSettings.LEAK_SAMPLE_LARGE_MAPPINGS;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.tinyalloc");

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void allNamesTheSiteOfEveryLiveBlockAndForgetsFreedOnes() {
        try (Allocator allocator = CustomEngines.create(s -> s.withLeakDetection(LeakDetection.ALL))) {
            long[] leaked = leakSmall(allocator, 3);
            long freed = allocator.allocate(SMALL);
            allocator.free(freed);
            long moved = allocator.reallocate(allocator.allocate(SMALL), 4 * SMALL);

            LeakReport report = allocator.leaks();
            assertEquals("all", report.detection());
            assertEquals(4, report.liveBlocks());
            LeakReport.Site leakSite = siteOf(report, "leakSmall");
            assertEquals(3, leakSite.blocks());
            assertEquals(3 * SMALL, leakSite.bytes());
            assertEquals(4, report.sites().stream().mapToLong(LeakReport.Site::blocks).sum(),
                    "a freed or moved block is still tracked: " + report.format());
            for (long block : leaked) {
                allocator.free(block);
            }
            allocator.free(moved);
            assertTrue(allocator.leaks().sites().isEmpty(), allocator.leaks().format());
        }
        assertTrue(log.list.isEmpty(), "a report was logged although nothing was live: " + log.list);
    }

    @Test
    void sampledTracksAShareOfALeakAndNothingThatWasFreed() {
        try (Allocator allocator = CustomEngines.create(s -> s.withLeakDetection(LeakDetection.SAMPLED))) {
            long[] churn = leakSmall(allocator, MANY_SMALL);
            for (long block : churn) {
                allocator.free(block);
            }
            for (int i = 0; i < MANY_LARGE; i++) {
                allocator.free(allocator.allocate(LARGE));
            }
            assertTrue(allocator.leaks().sites().isEmpty(), "freed blocks still tracked: " + allocator.leaks().format());

            long[] leaked = leakSmall(allocator, MANY_SMALL);
            long[] leakedLarge = leakLarge(allocator, MANY_LARGE);
            LeakReport report = allocator.leaks();
            assertEquals("sampled", report.detection());
            assertEquals(MANY_SMALL + MANY_LARGE, report.liveBlocks());
            LeakReport.Site small = siteOf(report, "leakSmall");
            assertTrue(small.blocks() >= 1 && small.blocks() < MANY_SMALL / 10,
                    "expected a sample of the small leak, got " + small.blocks());
            assertTrue(siteOf(report, "leakLarge").blocks() >= 1, report.format());
            for (long block : leaked) {
                allocator.free(block);
            }
            for (long block : leakedLarge) {
                allocator.free(block);
            }
            assertTrue(allocator.leaks().sites().isEmpty(), allocator.leaks().format());
        }
    }

    /** Guards the sampled-page bit on the remote free path: blocks freed by another thread are forgotten too. */
    @Test
    void sampledBlocksFreedByAnotherThreadAreForgotten() throws InterruptedException {
        try (Allocator allocator = CustomEngines.create(s -> s.withLeakDetection(LeakDetection.SAMPLED))) {
            long[] blocks = leakSmall(allocator, MANY_SMALL);
            assertFalse(allocator.leaks().sites().isEmpty(), "nothing was sampled: " + allocator.leaks().format());
            Thread freer = Thread.ofPlatform().start(() -> {
                for (long block : blocks) {
                    allocator.free(block);
                }
            });
            freer.join();
            assertTrue(allocator.leaks().sites().isEmpty(), "blocks freed remotely still tracked: "
                    + allocator.leaks().format());
        }
    }

    /**
     * Guards the unmarking of a page whose tracked blocks are gone: without it, every later free
     * of the page's blocks would look its block up, and sampling would cost more the longer a
     * program runs.
     */
    @Test
    void aPageIsUnmarkedOnceItsTrackedBlocksAreFreed() {
        try (Allocator allocator = CustomEngines.create(s -> s.withLeakDetection(LeakDetection.SAMPLED))) {
            long[] blocks = leakSmall(allocator, MANY_SMALL);
            // A sampled block is the one a page refill hands out first: the first block of its page.
            int first = firstBlockOfAMarkedPage(blocks);
            long page = pageOf(blocks[first]);
            int last = first;
            while (last + 1 < blocks.length && pageOf(blocks[last + 1]) == page) {
                last++;
            }
            for (int i = first; i < last; i++) {
                allocator.free(blocks[i]);
            }
            assertFalse(PageDescriptor.isSampledOpaque(page), "the page of the freed sampled block is still marked");
            for (int i = 0; i < blocks.length; i++) {
                if (i < first || i >= last) {
                    allocator.free(blocks[i]);
                }
            }
            assertTrue(allocator.leaks().sites().isEmpty(), allocator.leaks().format());
        }
    }

    private static int firstBlockOfAMarkedPage(long[] blocks) {
        for (int i = 1; i < blocks.length; i++) {
            if (pageOf(blocks[i]) != pageOf(blocks[i - 1]) && PageDescriptor.isSampledOpaque(pageOf(blocks[i]))) {
                return i;
            }
        }
        throw new AssertionError("no page was marked among " + blocks.length + " blocks");
    }

    private static long pageOf(long block) {
        long segment = block & -TestEngines.Recipe.DEFAULT.segmentByteSize();
        return SegmentDescriptor.pageDescriptorOf(segment, block);
    }

    @Test
    void closingWithBlocksLiveLogsTheReport() {
        Allocator allocator = CustomEngines.create(s -> s.withLeakDetection(LeakDetection.ALL));
        leakSmall(allocator, 2);
        allocator.close();
        assertEquals(1, log.list.size(), "expected one warning, got " + log.list);
        String message = log.list.getFirst().getFormattedMessage();
        assertTrue(message.contains("2 live blocks") && message.contains("leakSmall"), message);
    }

    @Test
    void offReportsTotalsWithoutSites() {
        try (Allocator allocator = CustomEngines.create(s -> s.withLeakDetection(LeakDetection.OFF))) {
            long[] leaked = leakSmall(allocator, 5);
            LeakReport report = allocator.leaks();
            assertEquals(5, report.liveBlocks());
            assertTrue(report.sites().isEmpty());
            assertTrue(report.format().contains("leak-detection = sampled or all"), report.format());
            for (long block : leaked) {
                allocator.free(block);
            }
        }
    }

    private static long[] leakSmall(Allocator allocator, int count) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = allocator.allocate(SMALL);
        }
        return blocks;
    }

    private static long[] leakLarge(Allocator allocator, int count) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = allocator.allocate(LARGE);
        }
        return blocks;
    }

    /** The site whose innermost frame is {@code method} of this test: the allocator's own frames are dropped. */
    private static LeakReport.Site siteOf(LeakReport report, String method) {
        List<LeakReport.Site> matching = report.sites().stream()
                .filter(site -> !site.frames().isEmpty() && site.frames().getFirst().getMethodName().equals(method))
                .toList();
        assertFalse(matching.isEmpty(), "no site at " + method + " in " + report.format());
        assertEquals(1, matching.size(), report.format());
        return matching.getFirst();
    }
}
