package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.spi.SizeClasses;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Tinyalloc32SizeClassesTest {

    /** The prototype's 32 classes, as issue 4 lists them. */
    private static final long[] PROTOTYPE = {8, 16, 24, 32, 40, 48, 56, 64, 72, 136, 200, 264, 392, 520, 648, 776,
        904, 1032, 3080, 5128, 7176, 9224, 13320, 17416, 21512, 25608, 29704, 33800, 37896, 41992, 46088, 50184};
    /** What serves them: each rounded up to 8 or a multiple of 16, the three that merge counted once. */
    private static final long[] SERVED = {8, 16, 32, 48, 64, 80, 144, 208, 272, 400, 528, 656, 784, 912, 1040,
        3088, 5136, 7184, 9232, 13328, 17424, 21520, 25616, 29712, 33808, 37904, 42000, 46096, 50192};
    private static final long ALIGNMENT = 16;
    /** The default largest page of reference.conf. */
    private static final long LARGEST_PAGE_BYTE_SIZE = 512L << 10;

    private final Tinyalloc32SizeClassesProvider provider = new Tinyalloc32SizeClassesProvider();

    @Test
    void servesTheDocumentedClasses() {
        assertArrayEquals(SERVED, byteSizes(provider.create(withDefaults(provider))));
    }

    @Test
    void everyPrototypeClassIsServedByTheSmallestAlignedBlockThatHoldsIt() {
        for (long prototype : PROTOTYPE) {
            long served = Arrays.stream(SERVED).filter(size -> size >= prototype).findFirst().orElseThrow();

            assertTrue(served - prototype < ALIGNMENT, () -> prototype + " served as " + served);
            assertTrue(served == 8 || served % ALIGNMENT == 0, () -> prototype + " served as " + served);
        }
        assertEquals(32, PROTOTYPE.length);
        assertEquals(29, SERVED.length, "24, 40 and 56 merge into 32, 48 and 64");
    }

    /**
     * The engine lays a page's blocks out at a stride of their size (plus a cache line for
     * multiples of 4 KiB, of which this table has none) from a page start that is OS-page
     * aligned, so a block is 16-byte aligned when its offset from the page start is.
     */
    @Test
    void everyBlockOfEveryClassAbove8BytesIs16ByteAlignedInThePage() {
        for (long size : byteSizes(provider.create(withDefaults(provider)))) {
            long alignment = size == 8 ? 8 : ALIGNMENT;
            for (long offset = 0; offset + size <= LARGEST_PAGE_BYTE_SIZE; offset += size) {
                long blockOffset = offset;
                assertEquals(0, blockOffset % alignment, () -> "a block of " + size + " at offset " + blockOffset);
            }
        }
    }

    @Test
    void theLargestClassFits8TimesInTheDefaultLargestPage() {
        SizeClasses table = provider.create(withDefaults(provider));

        assertTrue(table.byteSize(table.count() - 1) * 8 <= LARGEST_PAGE_BYTE_SIZE);
    }

    @Test
    void wasteAbove8BytesIsWorstFor1041BytesIn3088() {
        long[] sizes = byteSizes(provider.create(withDefaults(provider)));
        long worstRequest = 1;
        long worstBlock = 1;
        int sizeClass = 0;
        for (long request = 9; request <= sizes[sizes.length - 1]; request++) {
            while (sizes[sizeClass] < request) {
                sizeClass++;
            }
            long block = sizes[sizeClass];
            // (block - request) / block > (worstBlock - worstRequest) / worstBlock, in integers
            if ((block - request) * worstBlock > (worstBlock - worstRequest) * block) {
                worstRequest = request;
                worstBlock = block;
            }
        }

        assertEquals(1041, worstRequest);
        assertEquals(3088, worstBlock);
        assertTrue((worstBlock - worstRequest) * 3 < 2 * worstBlock, "below 2/3");
    }

    @Test
    void hasNoSettingsAndOneSharedTable() {
        assertTrue(provider.defaults().isEmpty());
        assertSame(provider.create(withDefaults(provider)), new Tinyalloc32SizeClassesProvider().create(withDefaults(provider)));
        assertEquals("tinyalloc32 size classes: 29 classes from 8 to 50192 bytes", provider.create(withDefaults(provider)).toString());
    }

    @Test
    void classesOutOfRangeAreRejected() {
        SizeClasses table = provider.create(withDefaults(provider));

        assertThrows(IndexOutOfBoundsException.class, () -> table.byteSize(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> table.byteSize(table.count()));
    }

    private static long[] byteSizes(SizeClasses table) {
        long[] sizes = new long[table.count()];
        Arrays.setAll(sizes, table::byteSize);
        return sizes;
    }
}
