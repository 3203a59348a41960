package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats.SizeClassStats;
import io.tinyalloc.core.TestEngines.Recipe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every class of the built-in geometric tables, with the default pages, uses at least
 * {@link SizeClassTable#MIN_PAGE_UTILIZATION} of its page and holds at least
 * {@link EngineSettings#MIN_BLOCKS_PER_PAGE} blocks there, as the engine reports it.
 */
class PageUtilizationTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jemalloc", "mimalloc"})
    void everyClassFillsItsPage(String sizeClasses) {
        try (Allocator allocator = TestEngines.create(Recipe.DEFAULT.withSizeClasses(sizeClasses))) {
            for (SizeClassStats sizeClass : allocator.stats().sizeClasses()) {
                assertTrue(sizeClass.pageUtilization() >= SizeClassTable.MIN_PAGE_UTILIZATION,
                        sizeClasses + ": " + sizeClass + " uses " + sizeClass.pageUtilization() + " of its page");
                assertTrue(sizeClass.blocksPerPage() >= EngineSettings.MIN_BLOCKS_PER_PAGE, sizeClasses + ": " + sizeClass);
                assertTrue(sizeClass.blocksPerPage() * sizeClass.blockByteSize() <= sizeClass.pageByteSize(),
                        sizeClasses + ": " + sizeClass);
            }
        }
    }
}
