package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tinyalloc.TracingAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trace file that is foreign, truncated, of another version or inconsistent says what was expected. */
class TraceFileErrorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String HEADER = "89544154524143450" + "1";

    @TempDir
    Path directory;

    private byte[] complete;

    /** Three records on two threads: allocate, then on thread 1 free and allocate-aligned. */
    @BeforeEach
    void recordOne() throws Exception {
        Path file = directory.resolve("good.trace");
        try (TracingAllocator tracer = TracingAllocator.wrap(new AddressAllocator(), file)) {
            long address = tracer.allocate(100);
            Thread other = Thread.ofPlatform().start(() -> {
                tracer.free(address);
                tracer.allocate(32, 64);
            });
            other.join();
        }
        complete = Files.readAllBytes(file);
    }

    @Test
    void theRecordingReads() throws IOException {
        Trace trace = TraceLibrary.readFile(write("good.trace", complete));

        assertEquals(3, trace.opCount());
        assertEquals(2, trace.threadCount());
        assertEquals("good", trace.name());
    }

    @Test
    void aGzippedTraceReads() throws IOException {
        Path file = directory.resolve("zipped.trace.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(complete);
        }

        Trace trace = TraceLibrary.readFile(file);

        assertEquals(3, trace.opCount());
        assertEquals("zipped", trace.name());
    }

    @Test
    void aForeignFileSaysWhatMagicWasExpected() {
        Path file = write("foreign.trace", "<!doctype html>".getBytes());

        assertProblem(file, "starts with 3c 21 64 6f 63 74 79 70 (expected: the tinyalloc trace magic"
                + " 89 54 41 54 52 41 43 45, a file written by TracingAllocator or tinyalloc import-valgrind)");
    }

    @Test
    void anEmptyFileToo() {
        assertProblem(write("empty.trace", new byte[0]), "starts with nothing (an empty file) (expected: the tinyalloc"
                + " trace magic 89 54 41 54 52 41 43 45, a file written by TracingAllocator or tinyalloc import-valgrind)");
    }

    @Test
    void anUnknownVersionIsNamed() {
        byte[] bytes = complete.clone();
        bytes[TraceFileReader.MAGIC.length] = 2;

        assertProblem(write("v2.trace", bytes), "format version 2 (expected: 1; written by a newer tinyalloc?)");
    }

    @Test
    void aFileCutInsideARecordIsTruncated() {
        byte[] cut = Arrays.copyOf(complete, HEADER.length() / 2 + 2);   // the tag and size of the first record

        assertProblem(write("cut.trace", cut), "ends inside record 1 at byte 11 (expected: an address; the file is truncated)");
    }

    @Test
    void aFileCutBetweenRecordsLacksItsEnd() {
        byte[] withoutEnd = Arrays.copyOf(complete, complete.length - 2);   // the end record: 07 03

        assertProblem(write("unended.trace", withoutEnd), "ends after 3 records at byte " + withoutEnd.length
                + " without an end record (expected: a record tag; the recording was cut short or its allocator never closed)");
    }

    @Test
    void theEndRecordMustCountTheRecords() {
        byte[] miscounted = complete.clone();
        miscounted[miscounted.length - 1] = 4;

        assertProblem(write("miscounted.trace", miscounted), "record 4 at byte " + (complete.length - 2)
                + ": end record counts 4 records (expected: 3, the records read)");
    }

    @Test
    void anUnknownRecordKindIsNamed() {
        byte[] bytes = HEX.parseHex(HEADER + "05");

        assertProblem(write("kind.trace", bytes), "record 1 at byte 9: record kind 5 (expected: 0 to 4, or 7 for the end; a newer format?)");
    }

    @Test
    void anAddressAllocatedTwiceIsInconsistent() {
        byte[] bytes = HEX.parseHex(HEADER + "00088040" + "000800" + "0702");   // allocate 8 at 0x1000, twice

        assertProblem(write("twice.trace", bytes), "record 2 at byte 13: address 0x1000 returned again while object 0"
                + " still lives there (expected: a free of that address first)");
    }

    @Test
    void aValgrindLogReadsByContentWhateverItsName() throws IOException {
        Trace trace = TraceLibrary.readFile(write("log.txt", "--1-- malloc(8) = 0x1000\n".getBytes()));

        assertEquals(1, trace.opCount());
    }

    private void assertProblem(Path file, String problem) {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceLibrary.readFile(file));
        assertEquals(file + ": " + problem, e.getMessage());
        assertEquals(file.toString(), e.source());
        assertEquals(TraceFormatException.NO_LINE, e.lineNumber());
    }

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(directory.resolve(name), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
