package io.tinyalloc.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SizeClassTable#of}: the checks behind the tables that are listed rather than computed. */
class ListedSizeClassTableTest {

    @Test
    void keepsACopyOfTheListedSizes() {
        long[] sizes = {8, 16, 48};
        SizeClassTable table = SizeClassTable.of("listed", sizes);
        sizes[1] = 32;

        assertEquals(3, table.count());
        assertEquals(16, table.byteSize(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "24", "8,8", "16,8", "8,40", "-16"})
    void rejectsSizesTheEngineCannotServe(String list) {
        long[] sizes = list.isEmpty() ? new long[0]
                : java.util.Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray();

        assertThrows(IllegalArgumentException.class, () -> SizeClassTable.of("listed", sizes));
    }

    @Test
    void alignedByteSizeIs8Or16ByteSteps() {
        assertEquals(8, SizeClassTable.alignedByteSize(1));
        assertEquals(8, SizeClassTable.alignedByteSize(8));
        assertEquals(16, SizeClassTable.alignedByteSize(9));
        assertEquals(32, SizeClassTable.alignedByteSize(24));
        assertEquals(1040, SizeClassTable.alignedByteSize(1032));
        assertEquals(1040, SizeClassTable.alignedByteSize(1040));
    }
}
