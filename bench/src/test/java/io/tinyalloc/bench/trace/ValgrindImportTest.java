package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A valgrind log and its import read as the same operations. */
class ValgrindImportTest {

    /** The format documents about 3 bytes an operation; more would mean addresses or sizes encode badly. */
    private static final long MAX_BYTES_PER_OP = 4;

    @TempDir
    Path directory;

    static Stream<Path> logs() {
        TraceLibrary library = TraceLibrary.ofRepository();
        return Stream.concat(Stream.of(library.shippedFolder()), library.sharedFolder().stream())
                .flatMap(folder -> TraceLibrary.tracesIn(folder).stream())
                .filter(file -> file.toString().endsWith(TraceLibrary.SUFFIX));
    }

    /** The shipped logs, and those of ../shared/traces when that folder exists. */
    @ParameterizedTest
    @MethodSource("logs")
    void importReadsBackAsTheLog(Path log) throws IOException {
        Path imported = directory.resolve(TraceLibrary.traceName(log) + TraceLibrary.TRACE_SUFFIX);
        Trace fromLog = TraceTables.read(log);

        TraceStats stats = ValgrindImport.convert(log, imported);
        Trace fromImport = TraceLibrary.readFile(imported);

        assertEquals(fromLog.stats(), stats);
        TraceFileRoundTripTest.assertSameOperations(fromLog, fromImport);
        assertEquals(withoutLogOnlyCounts(fromLog.stats()), fromImport.stats());
        assertEquals(TraceLibrary.traceName(log), fromImport.name());
        assertTrue(Files.size(imported) < MAX_BYTES_PER_OP * fromImport.opCount(), "compact: " + Files.size(imported)
                + " bytes for " + fromImport.opCount() + " operations");
    }

    /** What only a log has: lines that are not calls, and allocations that failed (not recorded). */
    private static TraceStats withoutLogOnlyCounts(TraceStats stats) {
        return new TraceStats(stats.calls() - stats.failedAllocations(), stats.ops(), stats.objects(), stats.peakLiveBytes(),
                stats.unknownFrees(), 0, stats.neverFreed(), 0, stats.threads());
    }

    @Test
    void importKeepsWhatTheReaderKeepsAndDropsFailedAllocations() throws IOException {
        Path log = write("small.vg",
                "==1== valgrind",
                "--1-- malloc(8) = 0x1000",
                "--1-- malloc(99999999999) = 0x0",
                "--1-- calloc(2,8) = 0x2000",
                "--1-- realloc(0x1000,64) = 0x3000",
                "--1-- realloc(0xBEEF0,16) = 0x4000",
                "--1-- free(0xDEAD0)",
                "--1-- memalign(al 64, size 100) = 0x5000",
                "--1-- free(0x3000)");

        TraceStats stats = ValgrindImport.convert(log, directory.resolve("small.trace"));
        Trace imported = TraceLibrary.readFile(directory.resolve("small.trace"));

        Trace fromLog = ValgrindTraceReader.read(log);
        assertEquals(fromLog.stats(), stats);
        TraceFileRoundTripTest.assertSameOperations(fromLog, imported);
        assertEquals(1, stats.failedAllocations());
        assertEquals(2, imported.stats().unknownFrees(), "a free and a realloc of unknown blocks, as the log reader counts them");
    }

    @Test
    void processesOfOneLogKeepTheirAddressesApart() throws IOException {
        Path log = write("two.vg",
                "--1-- malloc(8) = 0x1000",
                "--2-- malloc(16) = 0x1000",
                "--2-- free(0x1000)",
                "--1-- free(0x1000)");

        ValgrindImport.convert(log, directory.resolve("two.trace"));
        Trace imported = TraceLibrary.readFile(directory.resolve("two.trace"));

        TraceFileRoundTripTest.assertSameOperations(ValgrindTraceReader.read(log), imported);
        assertEquals(List.of(0, 1, 1, 0), Stream.of(0, 1, 2, 3).map(op -> imported.objectIds()[op]).toList());
    }

    @Test
    void aBadLineNamesTheFileAndItsNumber() throws IOException {
        Path log = write("bad.vg", "==1== valgrind", "--1-- malloc(8) = 0x1000", "--1-- malloc(eight) = 0x2000");

        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> ValgrindImport.convert(log, directory.resolve("bad.trace")));

        assertEquals(log.toString(), e.source());
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().startsWith(log + ":3: expected a byte size (decimal digits) at column 14"), e.getMessage());
    }

    @Test
    void aMissingLogIsAnIOException() {
        assertThrows(IOException.class, () -> ValgrindImport.convert(directory.resolve("none.vg"), directory.resolve("none.trace")));
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(directory.resolve(name), List.of(lines));
    }
}
