package io.tinyalloc.core;

import static io.tinyalloc.core.PageSelectionEngines.LOWEST_ADDRESS;
import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;

import io.tinyalloc.Allocator;
import io.tinyalloc.core.TestEngines.Recipe;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine with {@code lowest-address} page selection against the model of live blocks
 * ({@link ModelChecker}): seeded random walks that swing between many live blocks and few, on
 * both geometries of the strategy matrix and every purge policy, so that class queues are
 * reordered, pages are taken from the middle of segments, and segments empty and are released.
 * ({@code first-fit} is the engine's default, walked by {@link ModelBasedTest}.)
 */
@ExtendWith(SeedExtension.class)
class PageSelectionModelTest {

    private static final int STEPS = 4_000;
    private static final int HIGH_WATER_BLOCKS = 500;
    private static final long HIGH_WATER_BYTE_SIZE = 16 * MiB;
    private static final int LOW_WATER_BLOCKS = 20;
    /** Percent of the steps of a freeing phase that free a block outright, so that pages empty. */
    private static final int DRAIN_FREE_PERCENT = 50;
    private static final int STATS_INTERVAL_STEPS = 250;
    private static final int VERIFY_INTERVAL_STEPS = 1_000;

    static Stream<Recipe> recipes() {
        Recipe small = Recipe.DEFAULT.withGeometry(64 * KiB, 4 * KiB, 32 * KiB).withLargeCache(MiB);
        return TestEngines.MATRIX_PURGES.stream()
                .flatMap(purge -> Stream.of(Recipe.DEFAULT.withPurge(purge), small.withPurge(purge)))
                .filter(recipe -> TestEngines.geometryProblems(recipe).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void randomWalkKeepsEveryBlockIntactAndCountersExact(Recipe recipe, Seed seed) {
        SplittableRandom random = seed.random();
        try (Allocator allocator = PageSelectionEngines.create(recipe, LOWEST_ADDRESS)) {
            ModelChecker checker = new ModelChecker(allocator);
            boolean filling = true;
            for (int step = 1; step <= STEPS; step++) {
                boolean drain = !filling && random.nextInt(100) < DRAIN_FREE_PERCENT;
                checker.apply(drain ? new Op.Free(random.nextInt(Integer.MAX_VALUE))
                        : Ops.next(random, filling, recipe.maxByteAlignment()));
                if (checker.liveBlocks() >= HIGH_WATER_BLOCKS || checker.liveUsableBytes() >= HIGH_WATER_BYTE_SIZE) {
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
