package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.core.TestEngines.Recipe;
import io.tinyalloc.spi.SizeClasses;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Engine#checkGeometry}: which segment and page sizes and size classes fit together. */
class GeometryTest {

    private static final SizeClasses SMALL_TABLE = table(8, 16, 32, 48, 64, 128, 256, 512);

    static Stream<Recipe> recipes() {
        return TestEngines.matrix().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void everyRecipeOfTheTestMatrixFits(Recipe recipe) {
        assertEquals(List.of(), Engine.checkGeometry(TestEngines.settings(recipe), TestEngines.sizeClasses(recipe),
                TestEngines.osPageByteSize()));
    }

    static Stream<Arguments> misfits() {
        return Stream.of(
                Arguments.of("segment not a power of two", 3 * MiB, List.of(64 * KiB)),
                Arguments.of("segment below 64 KiB", 32 * KiB, List.of(4 * KiB)),
                Arguments.of("segment above 64 MiB", 128 * MiB, List.of(64 * KiB)),
                Arguments.of("no page size", 4 * MiB, List.of()),
                Arguments.of("page sizes descending", 4 * MiB, List.of(512 * KiB, 64 * KiB)),
                Arguments.of("page size repeated", 4 * MiB, List.of(64 * KiB, 64 * KiB)),
                Arguments.of("page not a power of two", 4 * MiB, List.of(48 * KiB)),
                Arguments.of("page above the segment", 4 * MiB, List.of(64 * KiB, 8 * MiB)),
                Arguments.of("page below the OS page", 4 * MiB, List.of(TestEngines.osPageByteSize() / 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misfits")
    void aMisfitIsReportedAndRefusedByCreate(String what, long segmentByteSize, List<Long> pageByteSizes) {
        EngineSettings settings = new EngineSettings(segmentByteSize, pageByteSizes, 0, 0,
                Math.max(segmentByteSize, 64 * MiB), 1, false, what);
        List<String> problems = Engine.checkGeometry(settings, SMALL_TABLE, TestEngines.osPageByteSize());
        assertFalse(problems.isEmpty(), what + " was accepted");
        problems.forEach(problem -> assertFalse(problem.isBlank(), what + ": a blank problem in " + problems));
        assertThrows(IllegalArgumentException.class, () -> Engine.create(settings, TestEngines.platform(), SMALL_TABLE,
                new NoLookup(), () -> 0), what);
    }

    @Test
    void aClassThatNoPageHoldsEightTimesIsReportedWithItsSize() {
        long tooLarge = 8 * KiB;   // the largest page, 32 KiB, holds it 4 times
        SizeClasses table = table(8, 16, 32, 4 * KiB, tooLarge);
        EngineSettings settings = TestEngines.settings(Recipe.DEFAULT.withGeometry(4 * MiB, 4 * KiB, 32 * KiB));
        List<String> problems = Engine.checkGeometry(settings, table, TestEngines.osPageByteSize());
        assertEquals(1, problems.size(), "problems: " + problems);
        String problem = problems.getFirst();
        assertTrue(problem.contains("8192") || problem.contains("8 KiB"),
                "'" + problem + "' (expected: to name the 8 KiB class)");
    }

    private static SizeClasses table(long... byteSizes) {
        return new SizeClasses() {
            @Override
            public int count() {
                return byteSizes.length;
            }

            @Override
            public long byteSize(int sizeClass) {
                return byteSizes[sizeClass];
            }
        };
    }

    /** A lookup that must never be reached: the engine refuses the geometry first. */
    private static final class NoLookup implements io.tinyalloc.spi.PageLookup {
        @Override
        public long segmentByteAlignment(long segmentByteSize) {
            return segmentByteSize;
        }

        @Override
        public void register(long segmentAddress, long byteSize) {
            throw new AssertionError("register called for a refused geometry");
        }

        @Override
        public void unregister(long segmentAddress, long byteSize) {
            throw new AssertionError("unregister called for a refused geometry");
        }

        @Override
        public long segmentOf(long address) {
            throw new AssertionError("segmentOf called for a refused geometry");
        }
    }
}
