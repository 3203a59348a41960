package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.core.TestEngines.Recipe;
import io.tinyalloc.core.TestEngines.Refusal;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The strategy matrix that {@link ModelBasedTest} and {@link MultiThreadMatrixTest} run over
 * ({@link TestEngines#matrix()}) leaves nothing out silently: it has every built-in provider,
 * it is the whole product of its dimensions, and the combinations it skips are exactly those the
 * engine refuses, each with a message that says what is wrong.
 */
class StrategyMatrixTest {

    /**
     * How the engine reports a problem with the size classes rather than with one of its own keys
     * ({@link Engine#checkGeometry}); the configuration reports it under the size-classes block.
     */
    private static final List<String> SIZE_CLASS_PROBLEM_PREFIXES = List.of("size class ", "size classes: ",
            "largest size class: ");
    /** How the engine reports a problem with one of its own keys: the key, a colon, the value. */
    private static final List<String> ENGINE_KEYS = List.of("segment-size", "page-sizes", "arena-size",
            "virtual-thread-heaps", "large.cache-capacity", "large.cache-max-age");

    @Test
    void everyBuiltInProviderIsADimensionOfTheMatrix() {
        assertDimension(SizeClassesProvider.class, TestEngines.MATRIX_SIZE_CLASSES, "MATRIX_SIZE_CLASSES");
        assertDimension(PageLookupProvider.class, TestEngines.MATRIX_PAGE_LOOKUPS, "MATRIX_PAGE_LOOKUPS");
        assertDimension(PurgePolicyProvider.class, TestEngines.MATRIX_PURGES, "MATRIX_PURGES");
    }

    @Test
    void theMatrixIsTheWholeProductSplitIntoAcceptedAndRefused() {
        int dimensions = TestEngines.MATRIX_SIZE_CLASSES.size() * TestEngines.MATRIX_PAGE_LOOKUPS.size()
                * TestEngines.MATRIX_PURGES.size() * TestEngines.MATRIX_GEOMETRIES.size();
        List<Recipe> product = TestEngines.product();
        assertEquals(dimensions, product.stream().distinct().count(), "distinct combinations in " + product);

        List<Recipe> split = new ArrayList<>(TestEngines.matrix());
        TestEngines.refused().forEach(refusal -> split.add(refusal.recipe()));
        assertEquals(product.stream().sorted(BY_NAME).toList(), split.stream().sorted(BY_NAME).toList());
        assertFalse(TestEngines.matrix().isEmpty(), "the engine accepts no combination of the matrix");
    }

    /**
     * An oracle independent of the engine's check: a combination is refused exactly when no page
     * holds {@link EngineSettings#MIN_BLOCKS_PER_PAGE} blocks of its largest class. So if the
     * engine began to refuse another combination, the matrix would not shrink without notice.
     */
    @Test
    void theRefusedAreExactlyTheTablesWhoseLargestClassNoPageHoldsEightTimes() {
        List<Recipe> expected = TestEngines.product().stream().filter(StrategyMatrixTest::largestClassDoesNotFit)
                .sorted(BY_NAME).toList();
        List<Recipe> refused = TestEngines.refused().stream().map(Refusal::recipe).sorted(BY_NAME).toList();
        assertEquals(expected, refused, "refused: " + TestEngines.refused());
    }

    @Test
    void aRefusedCombinationIsRefusedByCreateWithAMessageThatNamesWhatIsWrong() {
        for (Refusal refusal : TestEngines.refused()) {
            assertFalse(refusal.problems().isEmpty(), refusal.toString());
            for (String problem : refusal.problems()) {
                assertTrue(namesAKeyOrTheSizeClasses(problem) && problem.contains("(expected: "), refusal.recipe()
                        + ": '" + problem + "' (expected: an engine key or the size classes, a colon, the value, "
                        + "and what was expected)");
            }
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> TestEngines.createUnchecked(refusal.recipe()).close(), refusal.recipe().toString());
            assertEquals(String.join("; ", refusal.problems()), thrown.getMessage(), refusal.recipe().toString());
        }
    }

    private static final Comparator<Recipe> BY_NAME = Comparator.comparing(Recipe::toString);

    private static boolean largestClassDoesNotFit(Recipe recipe) {
        SizeClasses table = TestEngines.sizeClasses(recipe);
        long largestClass = table.byteSize(table.count() - 1);
        return largestClass * EngineSettings.MIN_BLOCKS_PER_PAGE > recipe.pageByteSizes().getLast();
    }

    private static boolean namesAKeyOrTheSizeClasses(String problem) {
        return Stream.concat(ENGINE_KEYS.stream().map(key -> key + ": "), SIZE_CLASS_PROBLEM_PREFIXES.stream())
                .anyMatch(problem::startsWith);
    }

    private static void assertDimension(Class<? extends StrategyProvider> kind, List<String> dimension, String name) {
        assertEquals(TestEngines.providerNames(kind), dimension.stream().sorted().toList(), "the "
                + kind.getSimpleName() + "s on the test class path against TestEngines." + name
                + ": a new built-in provider is one more name there");
    }
}
