package io.tinyalloc.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Formats comparison rows as a plain-text table, each allocator against a baseline. */
final class ResultTable {

    private static final String[] HEADERS = {"workload", "allocator", "ns/op", "±", "vs glibc", "peak committed"};
    /** Columns from this one on are numbers, aligned to the right. */
    private static final int FIRST_NUMERIC_COLUMN = 2;
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final double UNIT_STEP = 1024;
    private static final String GAP = "  ";

    private ResultTable() {
    }

    /**
     * Formats rows, with each row's time as a ratio to the baseline's on the same workload.
     *
     * @param rows the rows, in print order
     * @param baseline the allocator the ratios are against
     * @return the table, lines separated by {@code \n}, ending with one
     */
    static String format(List<Comparison.Row> rows, String baseline) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (Comparison.Row row : rows) {
            cells.add(new String[] {
                    row.workload(),
                    row.allocator(),
                    String.format(Locale.ROOT, "%.1f", row.medianNanosPerOp()),
                    String.format(Locale.ROOT, "%.1f", row.errorNanosPerOp()),
                    ratio(row, baselineOf(rows, row.workload(), baseline)),
                    row.peakCommittedBytes() < 0 ? "?" : bytes(row.peakCommittedBytes())});
        }
        int[] widths = new int[HEADERS.length];
        for (String[] line : cells) {
            for (int column = 0; column < line.length; column++) {
                widths[column] = Math.max(widths[column], line[column].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] line : cells) {
            for (int column = 0; column < line.length; column++) {
                boolean numeric = column >= FIRST_NUMERIC_COLUMN;
                String cell = numeric ? " ".repeat(widths[column] - line[column].length()) + line[column]
                        : line[column] + " ".repeat(widths[column] - line[column].length());
                table.append(column == 0 ? "" : GAP).append(cell);
            }
            table.append('\n');
        }
        return table.toString();
    }

    private static Optional<Comparison.Row> baselineOf(List<Comparison.Row> rows, String workload, String baseline) {
        return rows.stream().filter(row -> row.workload().equals(workload) && row.allocator().equals(baseline)).findFirst();
    }

    private static String ratio(Comparison.Row row, Optional<Comparison.Row> baseline) {
        return baseline.map(base -> String.format(Locale.ROOT, "%.2fx", row.medianNanosPerOp() / base.medianNanosPerOp()))
                .orElse("-");
    }

    /**
     * Formats a byte count with a binary unit: {@code 812 B}, {@code 3.4 MiB}.
     *
     * @param bytes 0 or more
     * @return the formatted count
     */
    static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= UNIT_STEP && unit < UNITS.length - 1) {
            value /= UNIT_STEP;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
