package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits for the engine to give memory back. The engine checks purge deadlines only on its slow
 * paths (and on a background thread when that is on), so while waiting this drives a slow path
 * now and then: it allocates more blocks than one page holds, then frees them, which empties a
 * page. A lone allocate/free pair is not enough: it stays on the fast path when the page it
 * lands on holds blocks freed remotely and not yet collected (a heap adopted from a dead thread).
 */
final class Purging {

    /** How long a test waits for memory to go back, far above any purge delay the tests use. */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);
    /** The blocks that drive slow paths while waiting: more than the largest page (512 KiB) holds. */
    private static final long DRIVER_BLOCK_BYTE_SIZE = 1024;
    private static final int DRIVER_BLOCKS = 600;
    /**
     * What the driver's own blocks may keep committed right after it ran: 600 KiB of blocks, the
     * rest of their pages and, with small segments, a segment header each.
     */
    static final long DRIVER_FOOTPRINT_BYTES = 1L << 20;

    private Purging() {
    }

    /**
     * Polls {@code allocator.stats()} until {@code condition} holds or {@link #DEADLINE} passes,
     * driving the engine between polls; returns the last stats seen.
     */
    static AllocatorStats awaitStats(Allocator allocator, Predicate<AllocatorStats> condition)
            throws InterruptedException {
        return awaitStats(allocator, condition, DEADLINE);
    }

    /** As {@link #awaitStats(Allocator, Predicate)}, for {@code duration}. */
    static AllocatorStats awaitStats(Allocator allocator, Predicate<AllocatorStats> condition, Duration duration)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        AllocatorStats stats = allocator.stats();
        while (!condition.test(stats) && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_INTERVAL);
            driveSlowPaths(allocator);
            stats = allocator.stats();
        }
        return stats;
    }

    private static void driveSlowPaths(Allocator allocator) {
        long[] blocks = new long[DRIVER_BLOCKS];
        for (int i = 0; i < DRIVER_BLOCKS; i++) {
            blocks[i] = allocator.allocate(DRIVER_BLOCK_BYTE_SIZE);
        }
        for (long block : blocks) {
            allocator.free(block);
        }
    }
}
