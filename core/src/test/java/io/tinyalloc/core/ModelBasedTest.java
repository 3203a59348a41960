package io.tinyalloc.core;

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
 * The engine against a model of live blocks ({@link ModelChecker}), over the strategy
 * combinations of {@link TestEngines#matrix()}: long seeded random walks that swing between
 * many live blocks and few, so that pages and segments fill, empty, get purged and reused; and
 * short QuickTheories sequences, which shrink a failure to a minimal list of steps.
 */
@ExtendWith(SeedExtension.class)
class ModelBasedTest {

    /** Steps of one random walk. */
    private static final int WALK_STEPS = 12_000;
    /** The walk turns to freeing when this many blocks are live... */
    private static final int HIGH_WATER_BLOCKS = 1_500;
    /** ...or when their usable sizes sum to this... */
    private static final long HIGH_WATER_BYTES = 48 * MiB;
    /** ...and back to allocating when no more than this many are live. */
    private static final int LOW_WATER_BLOCKS = 20;
    /** Steps between two checks of the counters. */
    private static final int STATS_INTERVAL_STEPS = 250;
    /** Steps between two checks of every live block's contents (each block is also checked when freed). */
    private static final int VERIFY_INTERVAL_STEPS = 2_000;

    /** Short sequences tried per combination, and their longest length. */
    private static final int SEQUENCES = 25;
    private static final int MAX_SEQUENCE_STEPS = 60;
    /** Bounds the time spent shrinking a failing sequence. */
    private static final int SHRINK_CYCLES = 400;

    static Stream<Recipe> recipes() {
        return TestEngines.matrix().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void randomWalkKeepsEveryBlockIntactAndCountersExact(Recipe recipe, Seed seed) {
        SplittableRandom random = seed.random();
        try (Allocator allocator = TestEngines.create(recipe)) {
            ModelChecker checker = new ModelChecker(allocator);
            boolean filling = true;
            for (int step = 1; step <= WALK_STEPS; step++) {
                checker.apply(Ops.next(random, filling, recipe.maxByteAlignment()));
                if (checker.liveBlocks() >= HIGH_WATER_BLOCKS || checker.liveUsableBytes() >= HIGH_WATER_BYTES) {
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

    /**
     * Checks the counters after every step. A failure is shrunk by QuickTheories; the report
     * shows the smallest failing sequence and the seed ({@code -DQT_SEED=...} replays it).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
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
}
