package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the {@link Allocator} javadoc promises, call by call, including its errors. */
class AllocatorContractTest {

    private static final long[] NEGATIVE_SIZES = {-1, -4096, Long.MIN_VALUE};
    /** Not powers of two; {@code Long.MIN_VALUE} has one bit set but is negative. */
    private static final long[] BAD_ALIGNMENTS = {0, 3, 48, -8, Long.MIN_VALUE, (1L << 20) + 1};
    private static final int ZERO_SIZE_BLOCKS = 1_000;

    private Allocator allocator;

    @BeforeEach
    void createAllocator() {
        allocator = TestEngines.create();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void aNewAllocatorHasNothingLiveAndAscendingSizeClasses() {
        AllocatorStats stats = allocator.stats();
        assertEquals(0, stats.liveBlocks());
        assertEquals(0, stats.liveBytes());
        assertEquals(0, stats.largeLiveBlocks());
        assertFalse(stats.sizeClasses().isEmpty(), "no size classes in " + stats);
        long previous = 0;
        for (AllocatorStats.SizeClassStats sizeClass : stats.sizeClasses()) {
            assertTrue(sizeClass.blockByteSize() > previous, "size classes not ascending: " + stats.sizeClasses());
            assertEquals(0, sizeClass.liveBlocks());
            previous = sizeClass.blockByteSize();
        }
    }

    @Test
    void describeIsOneLineThatContainsTheStrategyCombination() {
        String description = allocator.describe();
        assertTrue(description.contains(TestEngines.Recipe.DEFAULT.toString()),
                "describe() = '" + description + "' (expected: to contain the settings' description)");
        assertFalse(description.contains("\n"), "describe() spans lines: " + description);
    }

    @Test
    void freeOfZeroAndOfTheNullSegmentDoNothing() {
        long address = allocator.allocate(32);
        allocator.free(0);
        allocator.free(MemorySegment.NULL);
        assertEquals(1, allocator.stats().liveBlocks());
        allocator.free(address);
        assertEquals(0, allocator.stats().liveBlocks());
    }

    @Test
    void freeOfAHeapSegmentIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> allocator.free(MemorySegment.ofArray(new byte[16])));
    }

    @TestFactory
    Stream<DynamicTest> negativeSizesAreRejectedWithTheValueInTheMessage() {
        long live = allocator.allocate(100);
        return LongStream.of(NEGATIVE_SIZES).boxed().flatMap(size -> Stream.of(
                rejects("allocate(" + size + ")", size, () -> allocator.allocate(size)),
                rejects("allocate(" + size + ", 16)", size, () -> allocator.allocate(size, 16)),
                rejects("allocateZeroed(" + size + ")", size, () -> allocator.allocateZeroed(size)),
                rejects("reallocate(0, " + size + ")", size, () -> allocator.reallocate(0, size)),
                rejects("reallocate(block, " + size + ")", size, () -> allocator.reallocate(live, size)),
                rejects("allocateSegment(" + size + ", 16)", size, () -> allocator.allocateSegment(size, 16))));
    }

    @TestFactory
    Stream<DynamicTest> alignmentsThatAreNotPowersOfTwoAreRejectedWithTheValueInTheMessage() {
        return LongStream.of(BAD_ALIGNMENTS).boxed().flatMap(alignment -> Stream.of(
                rejects("allocate(16, " + alignment + ")", alignment, () -> allocator.allocate(16, alignment)),
                rejects("allocateSegment(16, " + alignment + ")", alignment,
                        () -> allocator.allocateSegment(16, alignment))));
    }

    @Test
    void aRejectedReallocateLeavesTheBlockAsItWas() {
        long address = allocator.allocate(64);
        Patterns.fill(address, 64, 7);
        assertThrows(IllegalArgumentException.class, () -> allocator.reallocate(address, -1));
        assertEquals(-1, Patterns.firstMismatch(address, 64, 7));
        allocator.free(address);
        assertEquals(0, allocator.stats().liveBlocks());
    }

    @Test
    void everyMethodThrowsIllegalStateExceptionAfterClose() {
        long address = allocator.allocate(64);
        MemorySegment segment = allocator.allocateSegment(64, 16);
        allocator.close();
        assertAll(
                closed("allocate", () -> allocator.allocate(16)),
                closed("allocate aligned", () -> allocator.allocate(16, 64)),
                closed("allocateZeroed", () -> allocator.allocateZeroed(16)),
                closed("reallocate(0, n)", () -> allocator.reallocate(0, 16)),
                closed("reallocate(block, n)", () -> allocator.reallocate(address, 128)),
                closed("free(address)", () -> allocator.free(address)),
                closed("usableSize", () -> allocator.usableSize(address)),
                closed("allocateSegment", () -> allocator.allocateSegment(16, 16)),
                closed("free(segment)", () -> allocator.free(segment)),
                closed("stats", allocator::stats),
                closed("ofConfined", allocator::ofConfined),
                closed("ofShared", allocator::ofShared));
    }

    /**
     * The class javadoc says every method throws after close; {@code describe()} declares no
     * exception. Either is accepted, anything else is not.
     */
    @Test
    void describeAfterCloseReturnsTheDescriptionOrThrowsIllegalStateException() {
        String before = allocator.describe();
        allocator.close();
        try {
            assertEquals(before, allocator.describe());
        } catch (IllegalStateException expected) {
            // the other reading of the javadoc
        }
    }

    @Test
    void closingTwiceIsFine() {
        allocator.allocate(64);
        allocator.close();
        assertDoesNotThrow(allocator::close);
    }

    @Test
    void reallocateOfZeroAllocates() {
        long address = allocator.reallocate(0, 100);
        assertNotEquals(0, address);
        assertTrue(allocator.usableSize(address) >= 100);
        assertEquals(1, allocator.stats().liveBlocks());
        allocator.free(address);
        assertEquals(0, allocator.stats().liveBlocks());
    }

    @Test
    void allocateZeroReturnsUniqueNonZeroAddresses() {
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < ZERO_SIZE_BLOCKS; i++) {
            long address = allocator.allocate(0);
            assertNotEquals(0, address, "allocate(0) returned 0");
            assertTrue(addresses.add(address), "allocate(0) returned 0x" + Long.toHexString(address) + " twice");
        }
        assertEquals(ZERO_SIZE_BLOCKS, allocator.stats().liveBlocks());
        addresses.forEach(allocator::free);
        assertEquals(0, allocator.stats().liveBlocks());
    }

    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(longs = {1, 2, 8, 16, 64, 4 * KiB, 64 * KiB, MiB})
    void allocateSegmentReturnsExactlyTheSizeAskedAligned(long alignment) {
        for (long size : List.of(0L, 1L, 24L, 100L, 4 * KiB, 100 * KiB, 3 * MiB + 5)) {
            MemorySegment segment = allocator.allocateSegment(size, alignment);
            assertTrue(segment.isNative());
            assertEquals(size, segment.byteSize(), "allocateSegment(" + size + ", " + alignment + ")");
            assertEquals(0, segment.address() % alignment,
                    "allocateSegment(" + size + ", " + alignment + ") at 0x" + Long.toHexString(segment.address()));
            segment.fill((byte) 0x5A);
            assertThrows(IndexOutOfBoundsException.class, () -> segment.get(ValueLayout.JAVA_BYTE, size));
            allocator.free(segment);
        }
        assertEquals(0, allocator.stats().liveBlocks());
    }

    /** Alignments up to half a segment are honoured, small segments and default ones alike. */
    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(longs = {4 * KiB, 16 * KiB, 32 * KiB, MiB, 2 * MiB})
    void alignmentsUpToHalfASegmentAreHonoured(long alignment) {
        try (Allocator small = TestEngines.create(TestEngines.Recipe.DEFAULT.withGeometry(64 * KiB, 4 * KiB, 32 * KiB))) {
            for (Allocator engine : List.of(small, allocator)) {
                if (alignment > maxAlignmentOf(engine)) {
                    continue;
                }
                long address = engine.allocate(100, alignment);
                assertEquals(0, address % alignment, "allocate(100, " + alignment + ") at 0x" + Long.toHexString(address)
                        + " on " + engine.describe());
                Patterns.fill(address, engine.usableSize(address), 3);
                engine.free(address);
                assertEquals(0, engine.stats().liveBlocks());
            }
        }
    }

    /**
     * The javadoc's limit: an alignment above half the segment size is rejected with a message
     * that names it and the limit, and the allocator stays usable.
     */
    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(longs = {64 * KiB, MiB, 8 * MiB, 1L << 62})
    void alignmentsAboveHalfASegmentAreRejectedWithTheLimit(long alignment) {
        try (Allocator small = TestEngines.create(TestEngines.Recipe.DEFAULT.withGeometry(64 * KiB, 4 * KiB, 32 * KiB))) {
            for (Allocator engine : List.of(small, allocator)) {
                if (alignment <= maxAlignmentOf(engine)) {
                    continue;
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> engine.allocate(100, alignment), "allocate(100, " + alignment + ")");
                assertTrue(e.getMessage().contains(Long.toString(alignment)) && e.getMessage().contains("half the segment"),
                        e.getMessage());
                engine.free(engine.allocate(100, 16));
            }
        }
    }

    private static long maxAlignmentOf(Allocator engine) {
        return ((EngineAllocator) engine).segmentByteSize / 2;
    }

    /**
     * Guards the segment map: an address outside this allocator's segments is reported, never read
     * as a header (which would crash the JVM), and the allocator stays usable.
     */
    @Test
    void addressesThisAllocatorNeverReturnedAreRejectedWithTheAddress() {
        try (Arena foreign = Arena.ofConfined(); Allocator other = TestEngines.create()) {
            long fromTheJdk = foreign.allocate(64).address();
            long fromAnotherAllocator = other.allocate(64);
            long unmapped = 0x1000;
            long aboveUserSpace = 1L << 60;
            for (long address : new long[] {fromTheJdk, fromAnotherAllocator, unmapped, aboveUserSpace}) {
                String hex = "0x" + Long.toHexString(address);
                IllegalArgumentException free = assertThrows(IllegalArgumentException.class, () -> allocator.free(address));
                assertTrue(free.getMessage().contains(hex), free.getMessage());
                assertThrows(IllegalArgumentException.class, () -> allocator.usableSize(address), hex);
                assertThrows(IllegalArgumentException.class, () -> allocator.reallocate(address, 128), hex);
            }
            other.free(fromAnotherAllocator);
        }
        long block = allocator.allocate(64);
        allocator.free(block);
        assertEquals(0, allocator.stats().liveBlocks());
    }

    @Test
    void usableSizeIsStableAndFreeingMakesTheBlockReusable() {
        long first = allocator.allocate(48);
        long usable = allocator.usableSize(first);
        assertEquals(usable, allocator.usableSize(first));
        allocator.free(first);
        // A thread-local free list hands back the block just freed; a different block would also be correct.
        long second = allocator.allocate(48);
        assertEquals(usable, allocator.usableSize(second));
        allocator.free(second);
    }

    private DynamicTest rejects(String call, long value, Executable executable) {
        return DynamicTest.dynamicTest(call, () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable, call);
            assertTrue(e.getMessage() != null && e.getMessage().contains(Long.toString(value)),
                    call + " threw '" + e.getMessage() + "' (expected: a message that names " + value + ")");
        });
    }

    private static Executable closed(String call, Executable executable) {
        return () -> assertThrows(IllegalStateException.class, executable, call + " after close()");
    }
}
