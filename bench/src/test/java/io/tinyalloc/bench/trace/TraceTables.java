package io.tinyalloc.bench.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables of the traces' README files, and the traces read once for all test classes
 * (reading the six logs takes seconds).
 */
final class TraceTables {

    /**
     * One row of a README table.
     *
     * @param file the trace file
     * @param calls the calls column
     * @param objects the objects column
     * @param peakLive the peak column as written: bytes with thousands separators, or {@code N.N MiB}
     */
    record Row(Path file, long calls, long objects, String peakLive) {

        @Override
        public String toString() {
            return file.getFileName().toString();
        }
    }

    private static final Map<Path, Trace> READ = new ConcurrentHashMap<>();
    private static final int TRACE_COLUMN = 1;
    private static final int CALLS_COLUMN = 3;
    private static final int OBJECTS_COLUMN = 4;
    private static final int PEAK_COLUMN = 5;

    private TraceTables() {
    }

    static List<Row> rows(Path folder) {
        List<Row> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(folder.resolve("README.md"))) {
                String[] cells = line.split("\\|");
                if (cells.length > PEAK_COLUMN && cells[TRACE_COLUMN].trim().endsWith(TraceLibrary.SUFFIX)) {
                    rows.add(new Row(folder.resolve(cells[TRACE_COLUMN].trim()), number(cells[CALLS_COLUMN]),
                            number(cells[OBJECTS_COLUMN]), cells[PEAK_COLUMN].trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static Trace read(Path file) {
        return READ.computeIfAbsent(file, f -> {
            try {
                return ValgrindTraceReader.read(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static long number(String cell) {
        return Long.parseLong(cell.trim().replace(",", ""));
    }
}
