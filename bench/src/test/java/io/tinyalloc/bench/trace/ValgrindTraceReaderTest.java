package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ValgrindTraceReaderTest {

    private static Trace read(String... lines) throws IOException {
        return ValgrindTraceReader.read("test", "test.vg", new BufferedReader(new StringReader(String.join("\n", lines))));
    }

    @Test
    void readsEveryCallForm() throws IOException {
        Trace trace = read(
                "==7033== Memcheck, a memory error detector",
                "--7033-- malloc(10) = 0x4D6DC80",
                "--7033-- realloc(0x4D6DC80,100) = 0x4D6DCD0",
                "--7033-- realloc(0x0,7)malloc(7) = 0x4D6DD80",
                "--7033-- realloc(0x4D6DD80,0)free(0x4D6DD80)",
                "--7033--  = 0",
                "--7033-- calloc(3,8) = 0x4D6DDD0",
                "--7033-- memalign(al 64, size 100) = 0x4D6DE80",
                "--7033-- _Znwm(4) = 0x4D6DE30",
                "--7033-- _ZdlPvm(0x4D6DE30)",
                "--7033-- _Znam(40) = 0x4D6DF60",
                "--7033-- _ZdaPv(0x4D6DF60,40)",
                "--7033-- _ZnwmSt11align_val_t(size 64, al 128) = 0x4D6E480",
                "--7033-- _ZdlPvmSt11align_val_t(0x4D6E480)",
                "--7033-- free(0x4D6DCD0)",
                "--7033-- free(0x0)",
                "--7033-- free(0x4D6DDD0)");

        assertArrayEquals(new byte[] {
                TraceOp.ALLOCATE, TraceOp.REALLOCATE, TraceOp.ALLOCATE, TraceOp.FREE, TraceOp.ALLOCATE_ZEROED,
                TraceOp.ALLOCATE_ALIGNED, TraceOp.ALLOCATE, TraceOp.FREE, TraceOp.ALLOCATE, TraceOp.FREE,
                TraceOp.ALLOCATE_ALIGNED, TraceOp.FREE, TraceOp.FREE, TraceOp.FREE}, trace.kinds());
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 3, 4, 4, 5, 5, 6, 6, 0, 2}, trace.objectIds());
        assertArrayEquals(new int[] {10, 100, 7, 0, 24, 100, 4, 0, 40, 0, 64, 0, 0, 0}, trace.byteSizes());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 128, 0, 0, 0}, trace.byteAlignments());
        // free(0x0) is no call; the object of memalign is never freed.
        assertEquals(new TraceStats(14, 14, 7, 100 + 24 + 100 + 64, 0, 0, 1, 1, 1), trace.stats());
    }

    @Test
    void peakLiveBytesFollowsReallocations() throws IOException {
        Trace trace = read(
                "--1-- malloc(100) = 0x1000",
                "--1-- realloc(0x1000,300) = 0x2000",
                "--1-- malloc(50) = 0x1000",
                "--1-- realloc(0x2000,10) = 0x2000",
                "--1-- malloc(200) = 0x3000");

        assertEquals(350, trace.stats().peakLiveBytes());
        assertEquals(3, trace.stats().neverFreed());
    }

    @Test
    void skipsAndCountsUnknownFreesAndFailedAllocations() throws IOException {
        Trace trace = read(
                "--1-- free(0xDEAD0)",
                "--1-- malloc(99999999999) = 0x0",
                "--1-- calloc(4611686018427387904,4) = 0x0",
                "--1-- malloc(8) = 0x1000",
                "--1-- realloc(0x1000,99999999999) = 0x0",
                "--1-- realloc(0xBEEF0,16) = 0x2000",
                "--1-- free(0x1000)",
                "--1-- free(0x2000)");

        assertArrayEquals(new byte[] {TraceOp.ALLOCATE, TraceOp.ALLOCATE, TraceOp.FREE, TraceOp.FREE}, trace.kinds());
        assertEquals(new TraceStats(8, 4, 2, 24, 2, 3, 0, 0, 1), trace.stats());
    }

    @Test
    void keepsTheAddressesOfEachProcessApart() throws IOException {
        Trace trace = read(
                "--1-- malloc(8) = 0x1000",
                "--2-- malloc(16) = 0x1000",
                "--1-- free(0x1000)",
                "--2-- free(0x1000)");

        assertArrayEquals(new int[] {0, 1, 0, 1}, trace.objectIds());
    }

    @Test
    void ignoresAndCountsLinesThatAreNoAllocatorCall() throws IOException {
        Trace trace = read(
                "==12== HEAP SUMMARY:",
                "--12-- Reading syms from /usr/bin/true",
                "--12-- malloc_usable_size(0x1000) = 16",
                "some program output",
                "-- 12-- malloc(8) = 0x1000",
                "",
                "--12--  = 0");

        assertEquals(0, trace.opCount());
        assertEquals(7, trace.stats().ignoredLines());
    }

    @Test
    void malformedCallNamesFileAndLine() {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read(
                "--1-- malloc(8) = 0x1000",
                "==1== fine",
                "--1-- malloc(x8) = 0x2000"));

        assertEquals(3, e.lineNumber());
        assertEquals("test.vg", e.source());
        assertTrue(e.getMessage().startsWith("test.vg:3: expected a byte size"), e.getMessage());
    }

    @Test
    void rejectsEveryKindOfBrokenCall() {
        String[] broken = {
                "--1-- malloc(8) = 4096",
                "--1-- malloc(8) = 0x1000 trailing",
                "--1-- malloc(8)",
                "--1-- calloc(8) = 0x1000",
                "--1-- memalign(size 8, al 16) = 0x1000",
                "--1-- memalign(al 24, size 8) = 0x1000",
                "--1-- _ZnwmSt11align_val_t(8) = 0x1000",
                "--1-- realloc(0x1000) = 0x2000",
                "--1-- realloc(0x0,8)calloc(8) = 0x2000",
                "--1-- realloc(0x1000,0)free(0x2000)",
                "--1-- free(4096)",
                "--1-- free(0x1000",
                "--1-- malloc(3000000000) = 0x1000",
                "--1-- malloc(99999999999999999999) = 0x0"};
        for (String line : broken) {
            TraceFormatException e = assertThrows(TraceFormatException.class,
                    () -> read("--1-- malloc(1) = 0x1000", line), line);
            assertEquals(2, e.lineNumber(), line);
        }
    }

    @Test
    void rejectsAnAddressReturnedTwiceWithoutAFree() {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read(
                "--1-- malloc(8) = 0x1000",
                "--1-- malloc(8) = 0x1000"));

        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().contains("object 0 still lives there"), e.getMessage());
    }
}
