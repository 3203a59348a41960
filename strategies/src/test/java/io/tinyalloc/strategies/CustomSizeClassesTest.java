package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigException;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.StrategyContext;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomSizeClassesTest {

    private final CustomSizeClassesProvider provider = new CustomSizeClassesProvider();

    @Test
    void servesTheListedSizesWrittenAsNumbersOrMemorySizes() {
        SizeClasses table = provider.create(withSettings(provider, "sizes = [8, 16, 48, 1 KiB, \"1.5 KiB\", 512 KiB]"));

        assertArrayEquals(new long[] {8, 16, 48, 1024, 1536, 512 << 10}, byteSizes(table));
        assertEquals("custom size classes: 6 classes from 8 to 524288 bytes", table.toString());
    }

    @Test
    void theFirstSizeNeedNotBe8() {
        assertArrayEquals(new long[] {16, 4096}, byteSizes(provider.create(withSettings(provider, "sizes = [16, 4 KiB]"))));
        assertArrayEquals(new long[] {8}, byteSizes(provider.create(withSettings(provider, "sizes = [8]"))));
    }

    @Test
    void theLargestAllowedIsAnEighthOfTheSegment() {
        long largest = StrategyContexts.SEGMENT_BYTE_SIZE / 8;
        SizeClasses table = provider.create(withSettings(provider, "sizes = [8, " + largest + "]"));

        assertEquals(largest, table.byteSize(1));
    }

    @Test
    void theLimitFollowsTheSegmentSize() {
        StrategyContext smallSegments = new StrategyContext(withSettings(provider, "sizes = [8, 16 KiB]").settings(),
                StrategyContexts.OS_PAGE_BYTE_SIZE, 64L << 10);

        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class, () -> provider.create(smallSegments));

        assertEquals("String: 1: Invalid value at 'sizes': 16 KiB, at index 1 (expected: at most 8 KiB, so that 8 blocks "
                + "fit in a page, which is at most the segment size, 64 KiB)", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sizes = []                 | [] (expected: at least one size, such as [8, 16, 32, 48, 64, 128, 1 KiB])
            sizes = 64                 | 64 (expected: a list of memory sizes in ascending order, such as [8, 16, 32, 48, 64, 128, 1 KiB])
            sizes = "8, 16"            | 8, 16 (expected: a list of memory sizes in ascending order, such as [8, 16, 32, 48, 64, 128, 1 KiB])
            sizes = {a = 8}            | {a=8} (expected: a list of memory sizes in ascending order, such as [8, 16, 32, 48, 64, 128, 1 KiB])
            sizes = [8, 64, 32]        | 32, at index 2, after 64 B (expected: sizes in ascending order, each larger than the one before)
            sizes = [8, 16, 16]        | 16, at index 2, after 16 B (expected: sizes in ascending order, each larger than the one before)
            sizes = [16, 8]            | 8, at index 1, after 16 B (expected: sizes in ascending order, each larger than the one before)
            sizes = [8, 24]            | 24, at index 1 (expected: a multiple of 16, or 8 as the first size, so that blocks are aligned)
            sizes = [8, 16, 1000]      | 1000, at index 2 (expected: a multiple of 16, or 8 as the first size, so that blocks are aligned)
            sizes = [12, 16]           | 12, at index 0 (expected: a multiple of 16, or 8 as the first size, so that blocks are aligned)
            sizes = [0, 16]            | 0, at index 0 (expected: at least 8 bytes, the smallest block that holds a free-list link)
            sizes = [4]                | 4, at index 0 (expected: at least 8 bytes, the smallest block that holds a free-list link)
            sizes = [8, 1 MiB]         | 1 MiB, at index 1 (expected: at most 512 KiB, so that 8 blocks fit in a page, which is at most the segment size, 4 MiB)
            sizes = [8, 528 KiB]       | 528 KiB, at index 1 (expected: at most 512 KiB, so that 8 blocks fit in a page, which is at most the segment size, 4 MiB)
            sizes = [8, lots]          | lots, at index 1 (expected: a memory size, such as 64 or 1 KiB)
            sizes = [8, -16]           | -16, at index 1 (expected: a memory size, such as 64 or 1 KiB)
            sizes = [8, true]          | true, at index 1 (expected: a memory size, such as 64 or 1 KiB)
            sizes = [8, null]          | null, at index 1 (expected: a memory size, such as 64 or 1 KiB)
            sizes = [8, [16]]          | [16], at index 1 (expected: a memory size, such as 64 or 1 KiB)
            """)
    void aBadListIsRejectedNamingTheKeyTheValueAndWhatWasExpected(String hocon, String problem) {
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                () -> provider.create(withSettings(provider, hocon)));

        assertEquals("String: 1: Invalid value at 'sizes': " + problem, e.getMessage());
    }

    @Test
    void theProblemIsReportedWhereTheBadSizeIsWritten() {
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                () -> provider.create(withSettings(provider, "sizes = [\n  8,\n  16,\n  24\n]")));

        assertEquals(4, e.origin().lineNumber());
    }

    @Test
    void theDefaultEmptyListIsRejected() {
        assertEquals(java.util.List.of(), provider.defaults().getList(CustomSizes.PATH).unwrapped());
        assertThrows(ConfigException.BadValue.class, () -> provider.create(withSettings(provider, "")));
    }

    private static long[] byteSizes(SizeClasses table) {
        long[] sizes = new long[table.count()];
        Arrays.setAll(sizes, table::byteSize);
        return sizes;
    }
}
