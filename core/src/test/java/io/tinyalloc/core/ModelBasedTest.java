package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tinyalloc.Allocator;
import io.tinyalloc.core.TestEngines.Recipe;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against a model of live blocks ({@link ModelChecker}), on one thread: seeded random
 * walks that swing between many live blocks and few, so that pages and segments fill, empty, get
 * purged and reused; and short QuickTheories sequences, which shrink a failure to a minimal list
 * of steps.
 *
 * <p>Every combination the engine accepts of the strategy matrix ({@link TestEngines#matrix()}:
 * size classes × page lookup × purge × segment size) gets a short walk; a few recipes near the
 * default get long ones, which reach the states that take many swings (a segment freed and
 * mapped again, a large cache that fills and evicts). {@link MultiThreadMatrixTest} runs the
 * same matrix on several threads.
 */
@ExtendWith(SeedExtension.class)
class ModelBasedTest {

    /**
     * How long a walk is and how far it swings: it turns to freeing when {@code highWaterBlocks}
     * are live or their usable sizes sum to {@code highWaterByteSize}, and back to allocating when
     * no more than {@link #LOW_WATER_BLOCKS} are.
     */
    private record Walk(int steps, int highWaterBlocks, long highWaterByteSize) {
    }

    /** The walk of each combination of the matrix: five to eight swings, about 0.15 s. */
    private static final Walk SHORT_WALK = new Walk(3_000, 400, 16 * MiB);
    /** The walk of the recipes near the default: about ten swings, about 0.6 s. */
    private static final Walk LONG_WALK = new Walk(12_000, 1_500, 48 * MiB);
    private static final int LOW_WATER_BLOCKS = 20;
    /**
     * Percent of the steps of a freeing phase that free a block outright. Without them
     * {@link Ops#next} frees barely more than it allocates while freeing, and the walk would
     * hover near its high water instead of emptying pages.
     */
    private static final int DRAIN_FREE_PERCENT = 50;
    /** Steps between two checks of the counters. */
    private static final int STATS_INTERVAL_STEPS = 250;
    /** Steps between two checks of every live block's contents (each block is also checked when freed). */
    private static final int VERIFY_INTERVAL_STEPS = 1_000;

    /** Short sequences tried per recipe, and their longest length. */
    private static final int SEQUENCES = 12;
    private static final int MAX_SEQUENCE_STEPS = 60;
    /** Bounds the time spent shrinking a failing sequence. */
    private static final int SHRINK_CYCLES = 400;

    /** Every combination of the matrix that the engine accepts. */
    static Stream<Recipe> matrix() {
        return TestEngines.matrix().stream();
    }

    /**
     * Recipes near the default that the matrix does not have: its 4 MiB segment, the large cache
     * off and small, small pages in a mid-size segment.
     */
    static Stream<Recipe> nearDefault() {
        Recipe base = Recipe.DEFAULT;
        return Stream.of(
                base,
                base.withPageLookup("radix"),
                base.withSizeClasses("mimalloc").withPurge("immediate").withLargeCache(0),
                base.withGeometry(4 * MiB, 4 * KiB, 32 * KiB).withLargeCache(8 * MiB));
    }

    static Stream<Recipe> everyRecipe() {
        return Stream.concat(nearDefault(), matrix());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void shortWalkOnEveryCombinationKeepsEveryBlockIntactAndCountersExact(Recipe recipe, Seed seed) {
        walk(recipe, SHORT_WALK, seed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nearDefault")
    void longWalkKeepsEveryBlockIntactAndCountersExact(Recipe recipe, Seed seed) {
        walk(recipe, LONG_WALK, seed);
    }

    /**
     * Checks the counters after every step. A failure is shrunk by QuickTheories; the report
     * shows the smallest failing sequence and the seed ({@code -DQT_SEED=...} replays it).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecipe")
    void shortSequencesShrinkToAMinimalFailure(Recipe recipe) {
        qt().withExamples(SEQUENCES)
                .withShrinkCycles(SHRINK_CYCLES)
                .forAll(lists().of(Ops.gen(recipe.maxByteAlignment())).ofSizeBetween(1, MAX_SEQUENCE_STEPS))
                .checkAssert(steps -> {
                    try (Allocator allocator = TestEngines.create(recipe)) {
                        ModelChecker checker = new ModelChecker(allocator);
                        for (Op step : steps) {
                            checker.apply(step);
                            checker.checkStats();
                        }
                        checker.freeAll();
                    }
                });
    }

    private static void walk(Recipe recipe, Walk walk, Seed seed) {
        SplittableRandom random = seed.random();
        try (Allocator allocator = TestEngines.create(recipe)) {
            ModelChecker checker = new ModelChecker(allocator);
            boolean filling = true;
            for (int step = 1; step <= walk.steps(); step++) {
                boolean drain = !filling && random.nextInt(100) < DRAIN_FREE_PERCENT;
                checker.apply(drain ? new Op.Free(random.nextInt(Integer.MAX_VALUE))
                        : Ops.next(random, filling, recipe.maxByteAlignment()));
                if (checker.liveBlocks() >= walk.highWaterBlocks()
                        || checker.liveUsableBytes() >= walk.highWaterByteSize()) {
                    filling = false;
                } else if (checker.liveBlocks() <= LOW_WATER_BLOCKS) {
                    filling = true;
                }
                if (step % STATS_INTERVAL_STEPS == 0) {
                    checker.checkStats();
                }
                if (step % VERIFY_INTERVAL_STEPS == 0) {
                    checker.verifyAll();
                }
            }
            checker.checkStats();
            checker.verifyAll();
            checker.freeAll();
        }
    }
}
