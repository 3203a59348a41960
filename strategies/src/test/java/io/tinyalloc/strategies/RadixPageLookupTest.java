package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.StrategyContext;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RadixPageLookupTest {

    private static final long SEGMENT = StrategyContexts.SEGMENT_BYTE_SIZE;
    private static final long SEGMENT_START = 0x7f12_3440_0000L;
    private static final long ADDRESS_LIMIT = 1L << RadixPageLookup.ADDRESS_BITS;
    private static final int MIN_SEGMENT_SHIFT = 16;
    private static final int MAX_SEGMENT_SHIFT = 26;
    private static final int FAR_LEAVES = 16;

    private final RadixPageLookup lookup = (RadixPageLookup) new RadixPageLookupProvider().create(
            withDefaults(new RadixPageLookupProvider()));

    @Test
    void serviceLoaderFindsItByNameWithNoSettings() {
        PageLookupProvider found = ServiceLoader.load(PageLookupProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("radix"))
                .findFirst()
                .orElseThrow();

        assertInstanceOf(RadixPageLookupProvider.class, found);
        assertTrue(found.defaults().isEmpty());
        assertInstanceOf(RadixPageLookup.class, found.create(withDefaults(found)));
    }

    @Test
    void everyAddressOfARegisteredSegmentMapsToItsStart() {
        lookup.register(SEGMENT_START, SEGMENT);

        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START));
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + 16));
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + SEGMENT / 2 + 8));
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + SEGMENT - 1));
    }

    @Test
    void addressesJustOutsideASegmentMapToNoSegment() {
        lookup.register(SEGMENT_START, SEGMENT);

        assertEquals(RadixPageLookup.NO_SEGMENT, lookup.segmentOf(SEGMENT_START - 1));
        assertEquals(RadixPageLookup.NO_SEGMENT, lookup.segmentOf(SEGMENT_START + SEGMENT));
    }

    @Test
    void unregisteringForgetsTheSegmentAndAllowsItAgain() {
        lookup.register(SEGMENT_START, SEGMENT);
        lookup.unregister(SEGMENT_START, SEGMENT);

        assertEquals(RadixPageLookup.NO_SEGMENT, lookup.segmentOf(SEGMENT_START + 100));

        lookup.register(SEGMENT_START, SEGMENT);
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + 100));
    }

    @Test
    void everyAddressOfALargeRegionMapsToItsStart() {
        long regionByteSize = 37 * SEGMENT + 4096;
        lookup.register(SEGMENT_START, regionByteSize);

        for (long offset = 0; offset < regionByteSize; offset += SEGMENT / 3) {
            assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + offset), "offset " + offset);
        }
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + regionByteSize - 1));
        // The last slot is only partly used, but belongs to the region as a whole.
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + 38 * SEGMENT - 1));
        assertEquals(RadixPageLookup.NO_SEGMENT, lookup.segmentOf(SEGMENT_START + 38 * SEGMENT));

        lookup.unregister(SEGMENT_START, regionByteSize);
        for (long offset = 0; offset < regionByteSize; offset += SEGMENT / 3) {
            assertEquals(RadixPageLookup.NO_SEGMENT, lookup.segmentOf(SEGMENT_START + offset), "offset " + offset);
        }
    }

    @Test
    void aRegionAcrossALeafBoundaryIsFoundFromBothLeaves() {
        // 4 MiB segments: 26 slot bits, 13 per level, so a leaf covers 2^35 bytes.
        long leafSpan = 1L << 35;
        long start = 5 * leafSpan - 3 * SEGMENT;
        long regionByteSize = 6 * SEGMENT;
        lookup.register(start, regionByteSize);

        assertEquals(2, lookup.leafCount());
        assertEquals(start, lookup.segmentOf(5 * leafSpan - 1));
        assertEquals(start, lookup.segmentOf(5 * leafSpan));
        assertEquals(start, lookup.segmentOf(start + regionByteSize - 1));
    }

    @Test
    void neighbouringRegionsAreKeptApart() {
        long large = SEGMENT_START + SEGMENT;
        lookup.register(SEGMENT_START, SEGMENT);
        lookup.register(large, 3 * SEGMENT);
        lookup.register(large + 3 * SEGMENT, SEGMENT);

        assertEquals(SEGMENT_START, lookup.segmentOf(large - 1));
        assertEquals(large, lookup.segmentOf(large));
        assertEquals(large, lookup.segmentOf(large + 3 * SEGMENT - 1));
        assertEquals(large + 3 * SEGMENT, lookup.segmentOf(large + 3 * SEGMENT));
    }

    @Test
    void addressesNobodyRegisteredMapToNoSegment() {
        lookup.register(SEGMENT_START, SEGMENT);

        for (long address : new long[] {0, 1, 4096, SEGMENT_START - SEGMENT, ADDRESS_LIMIT - 1, ADDRESS_LIMIT,
            Long.MAX_VALUE, -1, Long.MIN_VALUE, SEGMENT_START | ADDRESS_LIMIT}) {
            assertEquals(RadixPageLookup.NO_SEGMENT, lookup.segmentOf(address), () -> "0x" + Long.toHexString(address));
        }
    }

    @Test
    void leavesAreCreatedOnlyWhereRegionsAre() {
        assertEquals(0, lookup.leafCount());

        lookup.register(SEGMENT_START, SEGMENT);
        lookup.register(SEGMENT_START + SEGMENT, SEGMENT);
        assertEquals(1, lookup.leafCount());

        lookup.segmentOf(0x1000_0000_0000L);
        assertEquals(1, lookup.leafCount());
    }

    @Test
    void aSlotTakenByAnotherRegionIsRejected() {
        lookup.register(SEGMENT_START, 2 * SEGMENT);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lookup.register(SEGMENT_START + SEGMENT, SEGMENT));

        assertEquals("register(0x7f1234800000, 4194304): slot 0x7f1234800000 already belongs to the region at "
                + "0x7f1234400000 (expected: regions that share no 4194304-byte slot)", e.getMessage());
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START + SEGMENT), "the first registration stays");
    }

    @Test
    void unregisteringARegionThatIsNotThereIsRejected() {
        lookup.register(SEGMENT_START, SEGMENT);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lookup.unregister(SEGMENT_START, 2 * SEGMENT));

        assertEquals("unregister(0x7f1234400000, 8388608): slot 0x7f1234800000 holds 0x0 (expected: the region as "
                + "registered)", e.getMessage());
        assertEquals(SEGMENT_START, lookup.segmentOf(SEGMENT_START), "nothing was cleared");
    }

    @Test
    void regionsOutsideUserSpaceAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lookup.register(ADDRESS_LIMIT - SEGMENT, 2 * SEGMENT));

        assertEquals("region 0xffffffc00000 (+8388608 bytes) (expected: a non-empty region of user space, "
                + "between 1 and 2^48)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lookup.register(0, SEGMENT));
        assertThrows(IllegalArgumentException.class, () -> lookup.register(SEGMENT_START, 0));
    }

    @Test
    void segmentsAreAlignedToTheirSizeAsTheEngineDoesAnyway() {
        assertEquals(SEGMENT, lookup.segmentByteAlignment(SEGMENT));
        assertEquals(64L << 10, lookup.segmentByteAlignment(64L << 10));
    }

    @Test
    void aSegmentSizeThatIsNotAPowerOfTwoIsRejected() {
        StrategyContext context = new StrategyContext(ConfigFactory.empty(), 4096, 3L << 20);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RadixPageLookupProvider().create(context));

        assertEquals("segmentByteSize: 3145728 (expected: a power of two from 2^16 to 2^47)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RadixPageLookupProvider().create(new StrategyContext(ConfigFactory.empty(), 4096, 32L << 10)));
    }

    @Test
    void everyAddressOfARandomRegionMapsToItsStartAndNothingElseDoes() {
        qt().forAll(integers().between(MIN_SEGMENT_SHIFT, MAX_SEGMENT_SHIFT), longs().between(1, ADDRESS_LIMIT - 1),
                integers().between(1, 100), longs().between(0, Long.MAX_VALUE))
                .checkAssert((segmentShift, anyAddress, segments, offsetSeed) -> {
                    long segmentByteSize = 1L << segmentShift;
                    long start = Math.max(segmentByteSize, anyAddress & -segmentByteSize);
                    long byteSize = Math.min(segments * segmentByteSize, ADDRESS_LIMIT - start);
                    PageLookup map = lookupFor(segmentByteSize);
                    map.register(start, byteSize);

                    long inside = start + offsetSeed % byteSize;
                    assertEquals(start, map.segmentOf(inside), () -> "0x" + Long.toHexString(inside));
                    assertEquals(RadixPageLookup.NO_SEGMENT, map.segmentOf(start - 1));
                    assertEquals(RadixPageLookup.NO_SEGMENT, map.segmentOf(start + byteSize));

                    map.unregister(start, byteSize);
                    assertEquals(RadixPageLookup.NO_SEGMENT, map.segmentOf(inside));
                });
    }

    /**
     * Readers look up their own, registered segments (they must always find them) and addresses
     * that writers are registering and unregistering (they must find the region or nothing,
     * never anything else) while writers churn regions of all sizes nearby and in new leaves.
     */
    @Test
    void readersSeeConsistentResultsWhileOtherRegionsAreRegistered() throws Exception {
        int readers = 2;
        int writers = 2;
        int rounds = 2_000;
        long[] stable = new long[readers];
        for (int i = 0; i < readers; i++) {
            stable[i] = SEGMENT_START + i * 64 * SEGMENT;
            lookup.register(stable[i], SEGMENT);
        }
        long[] churned = new long[writers];
        for (int i = 0; i < writers; i++) {
            churned[i] = SEGMENT_START + (1 + i * 64) * SEGMENT;
        }
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(readers + writers);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long region = churned[w];
                // Each writer's far regions lie in 16 leaves of its own: new leaves while readers read.
                long farRegionBase = (w + 1) * (1L << 41);
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        long byteSize = (1 + round % 7) * SEGMENT;
                        lookup.register(region, byteSize);
                        lookup.unregister(region, byteSize);
                        long far = farRegionBase + (round % FAR_LEAVES) * (1L << 35);
                        lookup.register(far, SEGMENT);
                        lookup.unregister(far, SEGMENT);
                    }
                    return null;
                }));
            }
            for (int r = 0; r < readers; r++) {
                long own = stable[r];
                tasks.add(pool.submit(() -> {
                    start.await();
                    while (!done.get()) {
                        assertEquals(own, lookup.segmentOf(own + SEGMENT / 2));
                        for (long region : churned) {
                            long found = lookup.segmentOf(region + 2 * SEGMENT);
                            assertTrue(found == RadixPageLookup.NO_SEGMENT || found == region,
                                    () -> "0x" + Long.toHexString(found));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : tasks.subList(0, writers)) {
                writer.get();
            }
            done.set(true);
            for (Future<?> task : tasks) {
                task.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (long own : stable) {
            assertEquals(own, lookup.segmentOf(own));
        }
    }

    private static PageLookup lookupFor(long segmentByteSize) {
        return new RadixPageLookupProvider().create(new StrategyContext(ConfigFactory.empty(), 4096, segmentByteSize));
    }
}
