package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each trace's README row against what the reader computes. */
class ShippedTracesTest {

    private static final double BYTES_PER_MIB = 1 << 20;
    private static final String MIB_SUFFIX = " MiB";

    static List<TraceTables.Row> shipped() {
        return TraceTables.rows(TraceLibrary.ofRepository().shippedFolder());
    }

    static List<TraceTables.Row> shared() {
        return TraceLibrary.ofRepository().sharedFolder().map(TraceTables::rows).orElse(List.of());
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void shippedTraceMatchesItsRow(TraceTables.Row row) {
        assertMatches(row);
    }

    /**
     * Not a parameterized test: a user's clone has no {@code ../shared}, and a parameterized test
     * with no arguments is an error in JUnit 5.11, where this one is skipped.
     */
    @Test
    void sharedTracesMatchTheirRows() {
        assumeTrue(TraceLibrary.ofRepository().sharedFolder().isPresent(), "no ../shared/traces here");
        assertAll(shared().stream().map(row -> () -> assertMatches(row)));
    }

    @Test
    void everyShippedValgrindLogHasARow() {
        Path folder = TraceLibrary.ofRepository().shippedFolder();
        assertEquals(TraceLibrary.tracesIn(folder).stream().filter(file -> file.toString().endsWith(TraceLibrary.SUFFIX)).toList(),
                shipped().stream().map(TraceTables.Row::file).sorted().toList());
    }

    @Test
    void sharedTracesAreThereWhenTheFolderIs() {
        assumeTrue(TraceLibrary.ofRepository().sharedFolder().isPresent(), "no ../shared/traces here");
        assertEquals(3, shared().size());
    }

    private static void assertMatches(TraceTables.Row row) {
        TraceStats stats = TraceTables.read(row.file()).stats();
        assertEquals(row.calls(), stats.calls(), "calls");
        assertEquals(row.calls(), stats.ops(), "every call is replayed");
        assertEquals(row.objects(), stats.objects(), "objects");
        assertEquals(0, stats.unknownFrees(), "unknown frees");
        assertEquals(row.peakLive(), format(stats.peakLiveBytes(), row.peakLive().endsWith(MIB_SUFFIX)), "peak live");
    }

    private static String format(long bytes, boolean inMebibytes) {
        return inMebibytes ? String.format(Locale.ROOT, "%.1f", bytes / BYTES_PER_MIB) + MIB_SUFFIX
                : String.format(Locale.ROOT, "%,d", bytes);
    }
}
