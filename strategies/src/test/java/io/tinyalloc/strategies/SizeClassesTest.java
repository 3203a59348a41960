package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static io.tinyalloc.strategies.StrategyContexts.withSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigException;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import java.util.Arrays;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeClassesTest {

    private static final long KiB = 1L << 10;
    private static final long MiB = 1L << 20;
    private static final long LINEAR_END = 128;

    /** Each table with its classes per doubling, at every allowed max-size. */
    static Stream<Arguments> tables() {
        return Stream.of(new JemallocSizeClassesProvider(), new MimallocSizeClassesProvider())
                .flatMap(provider -> LongStream.iterate(KiB, maxSize -> maxSize <= 16 * MiB, maxSize -> maxSize * 2)
                        .mapToObj(maxSize -> Arguments.of(provider.name(), maxSize,
                                classesPerDoubling(provider), provider)));
    }

    static Stream<SizeClassesProvider> providers() {
        return Stream.of(new JemallocSizeClassesProvider(), new MimallocSizeClassesProvider());
    }

    @Test
    void jemallocStartsWithTheDocumentedClasses() {
        long[] first = Arrays.copyOf(byteSizes(new JemallocSizeClassesProvider().create(
                withDefaults(new JemallocSizeClassesProvider()))), 21);

        assertArrayEquals(new long[] {8, 16, 32, 48, 64, 80, 96, 112, 128,
            160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024}, first);
    }

    @Test
    void mimallocStartsWithTheDocumentedClasses() {
        long[] first = Arrays.copyOf(byteSizes(new MimallocSizeClassesProvider().create(
                withDefaults(new MimallocSizeClassesProvider()))), 25);

        assertArrayEquals(new long[] {8, 16, 32, 48, 64, 80, 96, 112, 128,
            144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512}, first);
    }

    @Test
    void theDefaultTablesEndAt64KiBWithTheDocumentedCounts() {
        SizeClasses jemalloc = new JemallocSizeClassesProvider().create(withDefaults(new JemallocSizeClassesProvider()));
        SizeClasses mimalloc = new MimallocSizeClassesProvider().create(withDefaults(new MimallocSizeClassesProvider()));

        assertEquals(45, jemalloc.count());
        assertEquals(64 * KiB, jemalloc.byteSize(jemalloc.count() - 1));
        assertEquals(81, mimalloc.count());
        assertEquals(64 * KiB, mimalloc.byteSize(mimalloc.count() - 1));
    }

    @ParameterizedTest(name = "{0}, max-size {1}")
    @MethodSource("tables")
    void classesAscendFrom8InMultiplesOf16UpToMaxSize(String name, long maxSize, int classesPerDoubling,
            SizeClassesProvider provider) {
        long[] sizes = byteSizes(provider.create(withSettings(provider, "max-size = " + maxSize)));

        assertEquals(8, sizes[0]);
        for (int i = 1; i < sizes.length; i++) {
            long size = sizes[i];
            long previous = sizes[i - 1];
            assertTrue(size > previous, () -> "class " + size + " follows " + previous);
            assertEquals(0, size % 16, () -> "class " + size + " is not a multiple of 16");
        }
        assertEquals(maxSize, sizes[sizes.length - 1]);
    }

    @ParameterizedTest(name = "{0}, max-size {1}")
    @MethodSource("tables")
    void wasteAbove128BytesIsBelowOneInClassesPerDoublingPlusOne(String name, long maxSize,
            int classesPerDoubling, SizeClassesProvider provider) {
        long[] sizes = byteSizes(provider.create(withSettings(provider, "max-size = " + maxSize)));
        int sizeClass = 0;
        for (long request = 1; request <= maxSize; request++) {
            while (sizes[sizeClass] < request) {
                sizeClass++;
            }
            long block = sizes[sizeClass];
            // waste / block < 1 / (n + 1), in integers
            if (request > LINEAR_END && (block - request) * (classesPerDoubling + 1) >= block) {
                fail(request + " bytes in a block of " + block + " wastes " + (block - request)
                        + " bytes, not below 1/" + (classesPerDoubling + 1));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3 KiB", "512 B", "32 MiB", "0", "3072"})
    void maxSizeMustBeAPowerOfTwoFrom1KiBTo16MiB(String maxSize) {
        providers().forEach(provider -> {
            ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                    () -> provider.create(withSettings(provider, "max-size = " + maxSize)));

            assertTrue(e.getMessage().endsWith("Invalid value at 'max-size': " + maxSize
                    + " (expected: a power of two between 1 KiB and 16 MiB)"), e.getMessage());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "-1 KiB", "true"})
    void maxSizeMustBeAMemorySize(String maxSize) {
        providers().forEach(provider -> {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> provider.create(withSettings(provider, "max-size = " + maxSize)));

            assertTrue(e.getMessage().contains("max-size"), e.getMessage());
        });
    }

    @Test
    void classesOutOfRangeAreRejected() {
        providers().forEach(provider -> {
            SizeClasses table = provider.create(withDefaults(provider));

            assertThrows(IndexOutOfBoundsException.class, () -> table.byteSize(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> table.byteSize(table.count()));
        });
    }

    private static long[] byteSizes(SizeClasses table) {
        long[] sizes = new long[table.count()];
        Arrays.setAll(sizes, table::byteSize);
        return sizes;
    }

    private static int classesPerDoubling(SizeClassesProvider provider) {
        return switch (provider.name()) {
            case "jemalloc" -> 4;
            case "mimalloc" -> 8;
            default -> throw new IllegalArgumentException(provider.name());
        };
    }
}
