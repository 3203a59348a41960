package io.tinyalloc.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyalloc.spi.PlatformMemory.Protection;
import io.tinyalloc.spi.PlatformMemoryException;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// The test reads and writes the reserved memory through segments made from raw addresses.
@SuppressWarnings("restricted")
class LinuxMemoryTest {

    private static final long KiB = 1L << 10;
    private static final long MiB = 1L << 20;
    private static final long PATTERN = 0x5EED_CAFE_F00D_BEEFL;
    /** An madvise advice that no kernel knows, so that it fails with EINVAL. */
    private static final int UNKNOWN_ADVICE = Integer.MAX_VALUE;

    private final LinuxMemory memory = new LinuxMemory();
    private long reserved;
    private long reservedByteSize;

    @BeforeAll
    static void onLinux() {
        assumeTrue(new LinuxMemoryProvider().isSupported(), "Linux on x86_64 or aarch64 only");
    }

    @AfterEach
    void releaseReservation() {
        if (reserved != 0) {
            memory.release(reserved, reservedByteSize);
        }
    }

    @Test
    void pageSizeIsAPowerOfTwoOfAtLeast4KiB() {
        long page = memory.pageByteSize();
        assertEquals(1, Long.bitCount(page), () -> "page size " + page);
        assertTrue(page >= 4 * KiB, () -> "page size " + page);
    }

    @Test
    void reservedMemoryCanBeWrittenAndReadBack() {
        MemorySegment segment = reserveAndCommit(MiB);
        fillEveryPage(segment, PATTERN);
        assertEveryPage(segment, PATTERN);
    }

    @Test
    void decommittedMemoryReadsAsZeroOnceCommittedAgain() {
        MemorySegment segment = reserveAndCommit(MiB);
        fillEveryPage(segment, PATTERN);

        memory.decommit(reserved, reservedByteSize);
        memory.commit(reserved, reservedByteSize);

        assertEveryPage(segment, 0L);
    }

    @Test
    void decommitGivesTheResidentMemoryBack() throws IOException {
        long byteSize = 64 * MiB;
        long slack = 16 * MiB;
        MemorySegment segment = reserveAndCommit(byteSize);

        long beforeTouch = residentByteSize();
        fillEveryPage(segment, PATTERN);
        long touched = residentByteSize();
        memory.decommit(reserved, reservedByteSize);
        long decommitted = residentByteSize();

        assertTrue(touched - beforeTouch >= byteSize - slack,
                () -> "touching 64 MiB raised RSS by " + (touched - beforeTouch) + " bytes only");
        assertTrue(touched - decommitted >= byteSize - slack,
                () -> "decommitting 64 MiB lowered RSS by " + (touched - decommitted) + " bytes only");
    }

    @Test
    void resetMemoryStaysUsableWithoutCommit() {
        MemorySegment segment = reserveAndCommit(MiB);
        fillEveryPage(segment, PATTERN);

        memory.reset(reserved, reservedByteSize);
        fillEveryPage(segment, ~PATTERN);

        assertEveryPage(segment, ~PATTERN);
        assertFalse(memory.resetFallsBackToDontNeed(), "MADV_FREE exists since Linux 4.5");
    }

    @Test
    void resetFallsBackToDontNeedWhenTheKernelRefusesTheAdvice() {
        LinuxMemory refusing = new LinuxMemory(UNKNOWN_ADVICE);
        MemorySegment segment = reserveAndCommit(MiB);
        fillEveryPage(segment, PATTERN);

        refusing.reset(reserved, reservedByteSize);

        assertTrue(refusing.resetFallsBackToDontNeed());
        assertEveryPage(segment, 0L); // only MADV_DONTNEED zeroes the range at once

        fillEveryPage(segment, PATTERN);
        refusing.reset(reserved, reservedByteSize);
        assertEveryPage(segment, 0L);
    }

    @Test
    void resetDoesNotRememberTheFallbackWhenDontNeedFailsToo() throws Throwable {
        LinuxMemory refusing = new LinuxMemory(UNKNOWN_ADVICE);
        reserveAndCommit(memory.pageByteSize());
        assumeTrue(mlock(reserved, reservedByteSize), "mlock not permitted here");
        try {
            PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                    () -> refusing.reset(reserved, reservedByteSize));

            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("advice=MADV_DONTNEED"), e.getMessage());
            assertEquals(1, e.getSuppressed().length, "the refused advice is attached");
            assertFalse(refusing.resetFallsBackToDontNeed());
        } finally {
            munlock(reserved, reservedByteSize);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {8 * KiB, 64 * KiB, 2 * MiB, 4 * MiB, 32 * MiB, 64 * MiB})
    void alignedReservationsAreAligned(long byteAlignment) {
        for (long byteSize : new long[] {memory.pageByteSize(), byteAlignment, 3 * byteAlignment}) {
            long address = memory.reserve(byteSize, byteAlignment);
            try {
                assertEquals(0, address % byteAlignment,
                        () -> "0x" + Long.toHexString(address) + " is not aligned to " + byteAlignment);
                MemorySegment segment = MemorySegment.ofAddress(address).reinterpret(byteSize);
                segment.set(JAVA_LONG, 0, PATTERN);
                segment.set(JAVA_LONG, byteSize - Long.BYTES, PATTERN);
                assertEquals(PATTERN, segment.get(JAVA_LONG, 0));
                assertEquals(PATTERN, segment.get(JAVA_LONG, byteSize - Long.BYTES));
            } finally {
                memory.release(address, byteSize);
            }
        }
    }

    @Test
    void protectionCanBeRemovedAndRestored() {
        MemorySegment segment = reserveAndCommit(4 * memory.pageByteSize());
        fillEveryPage(segment, PATTERN);

        memory.protect(reserved, reservedByteSize, Protection.NONE);
        memory.protect(reserved, reservedByteSize, Protection.READ);
        assertEveryPage(segment, PATTERN);
        memory.protect(reserved, reservedByteSize, Protection.READ_WRITE);
        fillEveryPage(segment, ~PATTERN);

        assertEveryPage(segment, ~PATTERN);
    }

    @Test
    void anAbsurdReservationFailsWithEnomem() {
        long byteSize = 1L << 62;

        PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                () -> memory.reserve(byteSize, memory.pageByteSize()));

        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals("mmap(length=4611686018427387904) failed: errno 12 (ENOMEM)", e.getMessage());
    }

    @Test
    void anAbsurdAlignedReservationFailsWithEnomem() {
        PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                () -> memory.reserve(1L << 62, 64 * MiB));

        assertEquals(Errno.ENOMEM, e.errno());
    }

    @Test
    void munmapOfAMisalignedAddressFailsWithEinval() {
        reserveAndCommit(2 * memory.pageByteSize());
        long misaligned = reserved + 1;

        PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                () -> LinuxSyscalls.munmap(misaligned, memory.pageByteSize()));

        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("munmap(address=0x" + Long.toHexString(misaligned) + ", length=" + memory.pageByteSize()
                + ") failed: errno 22 (EINVAL)", e.getMessage());
    }

    @Test
    void madviseWithAnUnknownAdviceFailsWithEinval() {
        reserveAndCommit(memory.pageByteSize());

        PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                () -> LinuxSyscalls.madvise(reserved, reservedByteSize, UNKNOWN_ADVICE));

        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("madvise(address=0x" + Long.toHexString(reserved)), e.getMessage());
        assertTrue(e.getMessage().endsWith("advice=2147483647) failed: errno 22 (EINVAL)"), e.getMessage());
    }

    @Test
    void reserveRejectsSizesThatAreNotPositivePageMultiples() {
        long page = memory.pageByteSize();
        for (long byteSize : new long[] {0, -page, page + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> memory.reserve(byteSize, page));
            assertEquals("byteSize: " + byteSize + " (expected: a positive multiple of the page size, " + page + ")",
                    e.getMessage());
        }
    }

    @Test
    void reserveRejectsAlignmentsThatAreNotPowersOfTwoOfAtLeastAPage() {
        long page = memory.pageByteSize();
        for (long byteAlignment : new long[] {0, page / 2, 3 * page, -page}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> memory.reserve(page, byteAlignment));
            assertEquals("byteAlignment: " + byteAlignment + " (expected: a power of two, at least the page size, "
                    + page + ")", e.getMessage());
        }
    }

    @Test
    void rangeMethodsRejectMisalignedOrNullAddresses() {
        long page = memory.pageByteSize();
        reserveAndCommit(page);
        for (long address : new long[] {0, reserved + 8}) {
            String expected = "address: 0x" + Long.toHexString(address)
                    + " (expected: a non-zero multiple of the page size, " + page + ")";
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> memory.commit(address, page)).getMessage());
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> memory.decommit(address, page)).getMessage());
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> memory.reset(address, page)).getMessage());
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> memory.release(address, page)).getMessage());
            assertEquals(expected, assertThrows(IllegalArgumentException.class,
                    () -> memory.protect(address, page, Protection.READ)).getMessage());
        }
    }

    @Test
    void rangeMethodsRejectSizesThatAreNotPageMultiples() {
        reserveAndCommit(memory.pageByteSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> memory.decommit(reserved, 100));
        assertTrue(e.getMessage().startsWith("byteSize: 100 (expected"), e.getMessage());
    }

    @Test
    void protectRejectsANullProtection() {
        reserveAndCommit(memory.pageByteSize());
        assertThrows(NullPointerException.class, () -> memory.protect(reserved, reservedByteSize, null));
    }

    private MemorySegment reserveAndCommit(long byteSize) {
        reserved = memory.reserve(byteSize, memory.pageByteSize());
        reservedByteSize = byteSize;
        memory.commit(reserved, byteSize);
        return MemorySegment.ofAddress(reserved).reinterpret(byteSize);
    }

    /** Writes {@code value} at the start and at the end of every page. */
    private void fillEveryPage(MemorySegment segment, long value) {
        long page = memory.pageByteSize();
        for (long offset = 0; offset < segment.byteSize(); offset += page) {
            segment.set(JAVA_LONG, offset, value);
            segment.set(JAVA_LONG, offset + page - Long.BYTES, value);
        }
    }

    private void assertEveryPage(MemorySegment segment, long expected) {
        long page = memory.pageByteSize();
        for (long offset = 0; offset < segment.byteSize(); offset += page) {
            assertLongAt(segment, offset, expected);
            assertLongAt(segment, offset + page - Long.BYTES, expected);
        }
    }

    private static void assertLongAt(MemorySegment segment, long offset, long expected) {
        long actual = segment.get(JAVA_LONG, offset);
        if (actual != expected) { // build the message only on failure: this runs for every page
            assertEquals(expected, actual, "at offset " + offset);
        }
    }

    /** The resident set size of this process, from the second field of /proc/self/statm. */
    private long residentByteSize() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(fields[1]) * memory.pageByteSize();
    }

    private static final MethodHandle MLOCK = libc("mlock");
    private static final MethodHandle MUNLOCK = libc("munlock");

    private static MethodHandle libc(String function) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(function).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static boolean mlock(long address, long byteSize) throws Throwable {
        return (int) MLOCK.invokeExact(MemorySegment.ofAddress(address), byteSize) == 0;
    }

    private static void munlock(long address, long byteSize) throws Throwable {
        int ignored = (int) MUNLOCK.invokeExact(MemorySegment.ofAddress(address), byteSize);
    }
}
