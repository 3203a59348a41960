package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The limits of the packed descriptor words: a page's used count shares a word with its free
 * list ({@link PageDescriptor}), and addresses are taken to fit in {@value NativeMemory#ADDRESS_BITS}
 * bits ({@link SegmentMap}).
 */
class DescriptorPackingTest {

    /** Smallest blocks in 2 MiB pages: far more than a used count can hold. */
    private static final TestEngines.Recipe HUGE_PAGES = TestEngines.Recipe.DEFAULT.withGeometry(16 * MiB, 2 * MiB);

    @Test
    void aPageWithRoomForMoreBlocksThanTheUsedCountHoldsStopsAtTheLimitAndTheNextPageTakesOver() {
        int blockCount = PageDescriptor.MAX_CAPACITY + 1_000;
        long[] blocks = new long[blockCount];
        try (Allocator allocator = TestEngines.create(HUGE_PAGES)) {
            Set<Long> distinct = new HashSet<>();
            for (int i = 0; i < blockCount; i++) {
                blocks[i] = allocator.allocate(1);
                Patterns.fill(blocks[i], 1, i);
                assertTrue(distinct.add(blocks[i]), "block " + i + " handed out twice: 0x" + Long.toHexString(blocks[i]));
            }
            assertEquals(blockCount, allocator.stats().liveBlocks());
            for (int i = 0; i < blockCount; i++) {
                assertEquals(-1, Patterns.firstMismatch(blocks[i], 1, i), "block " + i + " was overwritten");
                allocator.free(blocks[i]);
            }
            assertEquals(0, allocator.stats().liveBlocks());
            assertEquals(0, allocator.stats().liveBytes());
        }
    }

    @Test
    void aMappingAboveUserSpaceIsRefusedBeforeTheBitmapIsTouched() {
        PlatformMemory platform = TestEngines.platform();
        long segmentByteSize = 4 * MiB;
        SegmentMap map = new SegmentMap(platform, new NoLookup(), segmentByteSize);
        try {
            long aboveUserSpace = 1L << NativeMemory.ADDRESS_BITS;
            PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                    () -> map.register(aboveUserSpace, segmentByteSize));
            assertTrue(e.getMessage().contains(Long.toHexString(aboveUserSpace)), e.getMessage());
            long straddling = aboveUserSpace - segmentByteSize / 2;
            assertThrows(PlatformMemoryException.class, () -> map.register(straddling, segmentByteSize));
            assertTrue(!map.containsPlain(aboveUserSpace - segmentByteSize), "a refused region was recorded");
        } finally {
            map.release();
        }
    }

    /** A lookup that needs no registration: the map under test is what is checked. */
    private static final class NoLookup implements io.tinyalloc.spi.PageLookup {
        @Override
        public long segmentOf(long address) {
            return address;
        }

        @Override
        public void register(long segmentAddress, long byteSize) {
        }

        @Override
        public void unregister(long segmentAddress, long byteSize) {
        }

        @Override
        public long segmentByteAlignment(long segmentByteSize) {
            return segmentByteSize;
        }
    }
}
