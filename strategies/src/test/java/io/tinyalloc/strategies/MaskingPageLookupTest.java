package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.StrategyContext;
import org.junit.jupiter.api.Test;

class MaskingPageLookupTest {

    private static final long SEGMENT = 4L << 20;
    private static final long SEGMENT_START = 0x7f12_3440_0000L;
    /** User-space addresses on x86_64 and aarch64 with 4-level page tables stay below 2^47. */
    private static final long ADDRESS_LIMIT = 1L << 47;
    private static final int MIN_SEGMENT_SHIFT = 16;
    private static final int MAX_SEGMENT_SHIFT = 26;

    private final PageLookup lookup = new MaskingPageLookupProvider().create(
            withDefaults(new MaskingPageLookupProvider()));

    @Test
    void everyAddressOfASegmentMapsToItsStart() {
        assertEquals(SEGMENT, StrategyContexts.SEGMENT_BYTE_SIZE);

        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START));
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + 16));
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + SEGMENT / 2 + 8));
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + SEGMENT - 1));
    }

    @Test
    void theFirstAddressAfterASegmentMapsToTheNextOne() {
        assertEquals(SEGMENT_START + SEGMENT, lookup.segmentOf(SEGMENT_START + SEGMENT));
        assertEquals(SEGMENT_START - SEGMENT, lookup.segmentOf(SEGMENT_START - 1));
    }

    @Test
    void registrationChangesNothing() {
        lookup.register(SEGMENT_START, SEGMENT);
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + 100));
        lookup.unregister(SEGMENT_START, SEGMENT);
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + 100));
    }

    @Test
    void segmentsMustBeAlignedToTheirSize() {
        assertEquals(SEGMENT, lookup.segmentByteAlignment(SEGMENT));
        assertEquals(64L << 20, lookup.segmentByteAlignment(64L << 20));
    }

    @Test
    void segmentOfIsTheAlignedSegmentHoldingTheAddress() {
        qt().forAll(integers().between(MIN_SEGMENT_SHIFT, MAX_SEGMENT_SHIFT), longs().between(1, ADDRESS_LIMIT - 1))
                .checkAssert((segmentShift, address) -> {
                    long segmentByteSize = 1L << segmentShift;
                    long start = lookupFor(segmentByteSize).segmentOf(address);

                    assertEquals(0, start % segmentByteSize, "aligned");
                    assertTrue(start <= address && address - start < segmentByteSize,
                            () -> "0x" + Long.toHexString(address) + " is not in the segment at 0x"
                                    + Long.toHexString(start));
                });
    }

    @Test
    void aSegmentSizeThatIsNotAPowerOfTwoIsRejected() {
        StrategyContext context = new StrategyContext(ConfigFactory.empty(), 4096, 3L << 20);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaskingPageLookupProvider().create(context));

        assertEquals("segmentByteSize: 3145728 (expected: a positive power of two)", e.getMessage());
    }

    private static PageLookup lookupFor(long segmentByteSize) {
        return new MaskingPageLookupProvider().create(new StrategyContext(ConfigFactory.empty(), 4096, segmentByteSize));
    }
}
