package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.core.TestEngines.Recipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's check on purge policies: with {@code delayed}, committed memory after a free-all
 * returns to within 5 % of its level before, within twice the delay (plus scheduling slack);
 * with {@code decay}, within its two delays; with {@code none} it stays up. Each test prints its
 * figures (docs/strategies.md, "Purge: how fast memory goes back"); only the 5 % condition, and a
 * deadline far above the delays, are asserted.
 *
 * <p>The engines run the background purger, as {@code tinyalloc.conf} does by default: nothing
 * calls the allocator after the free-all, so that only the purge policy brings memory back.
 */
class PurgeFootprintTest {

    /**
     * The delay of {@code delayed}, and each of the two of {@code decay}: shorter than their
     * defaults (25 ms), to keep the test short.
     */
    private static final Duration DELAY = Duration.ofMillis(10);
    /** What the measured delay may exceed twice the policy's before the test fails: scheduling on a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(1);
    /** How long {@code none} is watched: far beyond the delays of the others. */
    private static final Duration NONE_WATCH = Duration.ofMillis(300);
    /** How close to the starting level counts as back: 5 %. */
    private static final double RETURN_TOLERANCE = 0.05;

    /** The live set that stays allocated: the starting level. 16 MiB of 1 KiB blocks. */
    private static final int LIVE_BLOCKS = 16_384;
    private static final long LIVE_BLOCK_BYTE_SIZE = 1024;
    /** What is allocated, touched and freed on top: 32 MiB of 256-byte blocks and 16 MiB of 1 MiB blocks. */
    private static final int SMALL_CHURN_BLOCKS = 131_072;
    private static final long SMALL_CHURN_BYTE_SIZE = 256;
    private static final int LARGE_CHURN_BLOCKS = 16;
    private static final long LARGE_CHURN_BYTE_SIZE = 1L << 20;
    private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();

    private static final Recipe RECIPE = Recipe.DEFAULT.withPurgeDelay(DELAY).withBackgroundPurge(true);

    @Test
    void delayedReturnsCommittedMemoryWithinTwiceItsDelay() throws InterruptedException {
        Figures figures = measure(RECIPE, DELAY.multipliedBy(2).plus(SLACK));

        assertTrue(figures.returned(), "delayed: not back within 5 % of the start: " + figures);
    }

    @Test
    void decayReturnsCommittedMemoryWithinItsTwoDelays() throws InterruptedException {
        Figures figures = measure(RECIPE.withPurge("decay"), DELAY.multipliedBy(2).plus(SLACK));

        assertTrue(figures.returned(), "decay: not back within 5 % of the start: " + figures);
    }

    @Test
    void noneKeepsCommittedMemory() throws InterruptedException {
        Figures figures = measure(RECIPE.withPurge("none"), NONE_WATCH);

        assertTrue(!figures.returned() && figures.afterBytes() >= figures.startBytes()
                + (figures.peakBytes() - figures.startBytes()) * 9 / 10, "none: memory went back: " + figures);
    }

    /**
     * The figures of one run.
     *
     * @param policy the recipe's purge policy
     * @param startBytes committed with the live set allocated
     * @param peakBytes committed with the churn allocated too
     * @param afterBytes committed when the run stopped watching: back within 5 %, or at the deadline
     * @param returnNanos from the free-all to back within 5 %, -1 if it never was
     * @param startRssBytes the process's resident set at the start (the JVM's own included)
     * @param peakRssBytes the resident set at the peak
     * @param afterRssBytes the resident set when the run stopped watching
     */
    record Figures(String policy, long startBytes, long peakBytes, long afterBytes, long returnNanos,
            long startRssBytes, long peakRssBytes, long afterRssBytes) {

        boolean returned() {
            return returnNanos >= 0;
        }

        @Override
        public String toString() {
            return String.format("%-10s committed start %s, peak %s, after %s; back within 5 %% after %s;"
                    + " RSS start %s, peak %s, after %s", policy, mib(startBytes), mib(peakBytes), mib(afterBytes),
                    returned() ? String.format("%.1f ms", returnNanos / 1e6) : "never", mib(startRssBytes),
                    mib(peakRssBytes), mib(afterRssBytes));
        }

        private static String mib(long bytes) {
            return String.format("%.1f MiB", bytes / (double) (1L << 20));
        }
    }

    /**
     * The figures of docs/strategies.md: {@code rounds} runs of each policy (default 9), then the
     * median, lowest and highest time back within 5 %. Run it on the test class path:
     * {@code java --enable-native-access=ALL-UNNAMED -cp ... io.tinyalloc.core.PurgeFootprintTest 9}.
     */
    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        Recipe[] recipes = {RECIPE, RECIPE.withPurge("decay"), RECIPE.withPurge("none")};
        long[][] returnNanos = new long[recipes.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < recipes.length; i++) {
                Duration deadline = "none".equals(recipes[i].purge()) ? NONE_WATCH : DELAY.multipliedBy(2).plus(SLACK);
                returnNanos[i][round] = measure(recipes[i], deadline).returnNanos();
            }
        }
        for (int i = 0; i < recipes.length; i++) {
            long[] sorted = returnNanos[i].clone();
            Arrays.sort(sorted);
            System.out.printf("PurgeFootprintTest: %-10s back within 5 %% in %d of %d runs; median %.1f ms, lowest %.1f ms,"
                    + " highest %.1f ms%n", describe(recipes[i]), Arrays.stream(sorted).filter(n -> n >= 0).count(),
                    rounds, sorted[rounds / 2] / 1e6, sorted[0] / 1e6, sorted[rounds - 1] / 1e6);
        }
    }

    private static Figures measure(Recipe recipe, Duration deadline) throws InterruptedException {
        try (Allocator allocator = TestEngines.create(recipe)) {
            long[] live = allocate(allocator, LIVE_BLOCKS, LIVE_BLOCK_BYTE_SIZE);
            long start = allocator.stats().committedBytes();
            long startRss = residentBytes();
            long[] small = allocate(allocator, SMALL_CHURN_BLOCKS, SMALL_CHURN_BYTE_SIZE);
            long[] large = allocate(allocator, LARGE_CHURN_BLOCKS, LARGE_CHURN_BYTE_SIZE);
            long peak = allocator.stats().committedBytes();
            long peakRss = residentBytes();

            freeAll(allocator, small);
            freeAll(allocator, large);
            long freedAt = System.nanoTime();
            long bound = (long) (start * (1 + RETURN_TOLERANCE));
            long committed = allocator.stats().committedBytes();
            long returnNanos = -1;
            while (System.nanoTime() - freedAt < deadline.toNanos()) {
                if (committed <= bound) {
                    returnNanos = System.nanoTime() - freedAt;
                    break;
                }
                Thread.sleep(Duration.ofNanos(POLL_NANOS));
                committed = allocator.stats().committedBytes();
            }
            Figures figures = new Figures(describe(recipe), start, peak, committed, returnNanos, startRss, peakRss,
                    residentBytes());
            System.out.println("PurgeFootprintTest: " + figures);
            freeAll(allocator, live);
            return figures;
        }
    }

    private static String describe(Recipe recipe) {
        return recipe.purge() + ("none".equals(recipe.purge()) ? "" : "(" + recipe.purgeDelay().toMillis() + " ms)");
    }

    private static long[] allocate(Allocator allocator, int count, long byteSize) {
        long[] blocks = new long[count];
        Arrays.setAll(blocks, i -> allocator.allocate(byteSize));
        for (long block : blocks) {
            Patterns.at(block, byteSize).fill((byte) 0x5A);
        }
        return blocks;
    }

    private static void freeAll(Allocator allocator, long[] blocks) {
        for (long block : blocks) {
            allocator.free(block);
        }
    }

    /** The resident set from {@code /proc/self/statm}, for the record only; -1 where there is none. */
    private static long residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(fields[1]) * TestEngines.osPageByteSize();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
