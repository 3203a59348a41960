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
    /** Enough large allocations for a few samples. */
    private static final int MANY_LARGE = (int) (3 * EngineSettings.LEAK_SAMPLE_LARGE_BYTES / LARGE);

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
