package io.tinyalloc.bench.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@SuppressWarnings("restricted")   // FFM downcalls and raw addresses are the point; the JVM runs with --enable-native-access
class BenchAllocatorsTest {

    private static final long ALIGNMENT = 4096;

    @Test
    void glibcAllocatesReallocatesAndFrees() throws AllocatorUnavailableException {
        try (BenchAllocator glibc = BenchAllocators.open(BenchAllocators.GLIBC)) {
            assertEquals(BenchAllocators.GLIBC, glibc.name());
            exercise(glibc);
            assertTrue(glibc.committedBytes() > 0, "mallinfo2 sees the JVM's own malloc at least");
            assertTrue(glibc.committedBytesSource().contains("mallinfo2"), glibc.committedBytesSource());
        }
    }

    /** Runs wherever the library is installed; elsewhere checks that the message says what to install. */
    @ParameterizedTest
    @ValueSource(strings = {"baseline:jemalloc", "baseline:mimalloc", "baseline:tcmalloc"})
    void optionalLibraryWorksOrSaysWhatToInstall(String name) {
        try (BenchAllocator allocator = BenchAllocators.open(name)) {
            exercise(allocator);
        } catch (AllocatorUnavailableException unavailable) {
            assertTrue(unavailable.getMessage().startsWith(name + " is not available: "), unavailable.getMessage());
            assertTrue(unavailable.getMessage().contains("install the Debian package lib"), unavailable.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline:unsafe", "baseline:arena", "baseline:direct", "baseline:netty-pooled",
            "baseline:netty-adaptive"})
    void jdkAndNettyBaselinesAllocateReallocateAndFree(String name) throws AllocatorUnavailableException {
        try (BenchAllocator allocator = BenchAllocators.open(name)) {
            assertEquals(name, allocator.name());
            exercise(allocator);
            assertTrue(allocator.committedBytes() >= 0, allocator.committedBytesSource());
            assertNotEquals(name, BenchAllocators.describe(allocator), "a description of the API");
        }
    }

    @Test
    void directAndNettyCountTheirOwnMemory() throws AllocatorUnavailableException {
        for (String name : new String[] {"baseline:direct", "baseline:netty-pooled", "baseline:netty-adaptive"}) {
            try (BenchAllocator allocator = BenchAllocators.open(name)) {
                long before = allocator.committedBytes();
                long block = allocator.allocate(1 << 20);

                assertTrue(allocator.committedBytes() >= before + (1 << 20), name + ": " + allocator.committedBytesSource());
                allocator.free(block);
            }
        }
    }

    @Test
    void arenaFreesOnlyInItsAllocatingThread() throws Exception {
        try (BenchAllocator arena = BenchAllocators.open("baseline:arena")) {
            long block = arena.allocate(64);
            Thread other = Thread.ofPlatform().start(() -> assertThrows(WrongThreadException.class, () -> arena.free(block)));
            other.join();

            assertFalse(arena.freesFromAnyThread());
            arena.free(block);   // still live after the refused free, and freed here
        }
    }

    @Test
    void freeingAnUnknownAddressIsRefusedByTheMappedBaselines() throws AllocatorUnavailableException {
        try (BenchAllocator direct = BenchAllocators.open("baseline:direct")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> direct.free(0x1000));

            assertEquals("baseline:direct free: 0x1000 (expected: a live block of this allocator)", e.getMessage());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchAllocators.open("dlmalloc"));

        assertEquals("unknown allocator: dlmalloc (expected one of: tinyalloc, tinyalloc:FILE, baseline:glibc,"
                + " baseline:jemalloc, baseline:mimalloc, baseline:tcmalloc, baseline:unsafe, baseline:arena,"
                + " baseline:direct, baseline:netty-pooled, baseline:netty-adaptive)", e.getMessage());
    }

    @Test
    void missingConfigurationFileIsNamed() {
        AllocatorUnavailableException e = assertThrows(AllocatorUnavailableException.class,
                () -> BenchAllocators.open("tinyalloc:no/such/tinyalloc.conf"));

        assertTrue(e.getMessage().contains("no/such/tinyalloc.conf (expected: a tinyalloc.conf file)"), e.getMessage());
    }

    private static void exercise(BenchAllocator allocator) {
        MemorySegment everywhere = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        long small = allocator.allocate(24);
        everywhere.set(ValueLayout.JAVA_LONG_UNALIGNED, small + 16, 0x1122334455667788L);
        long grown = allocator.reallocate(small, 1 << 20);
        assertEquals(0x1122334455667788L, everywhere.get(ValueLayout.JAVA_LONG_UNALIGNED, grown + 16));

        long zeroed = allocator.allocateZeroed(1 << 16);
        assertEquals(0, everywhere.get(ValueLayout.JAVA_LONG_UNALIGNED, zeroed + (1 << 16) - Long.BYTES));
        long aligned = allocator.allocate(100, ALIGNMENT);
        assertEquals(0, aligned % ALIGNMENT);
        assertNotEquals(0, allocator.allocate(0));

        allocator.free(grown);
        allocator.free(zeroed);
        allocator.free(aligned);
    }
}
