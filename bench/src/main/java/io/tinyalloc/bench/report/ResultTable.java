package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The report as a plain-text table for the terminal: one line per workload and combination.
 */
public final class ResultTable {

    private static final String[] HEADERS = {"workload", "combination", "ns/op", "95% CI", "ratio", "95% CI",
        "verdict", "peak committed", "settled committed", "fork RSS peak"};
    /** Text columns, aligned to the left; the others are figures, aligned to the right. */
    private static final Set<Integer> TEXT_COLUMNS = Set.of(0, 1, 6);
    private static final String GAP = "  ";
    /** Shown instead of a ratio for the reference combination. */
    private static final String REFERENCE = "-";

    private ResultTable() {
    }

    /**
     * Formats a report's summaries as a table followed by its legend.
     *
     * @param report the report
     * @return the table and the legend, lines separated by {@code \n}, ending with one
     */
    public static String format(Report report) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (Summary summary : report.summaries()) {
            cells.add(row(summary));
        }
        return table(cells) + legend(report);
    }

    private static String[] row(Summary summary) {
        boolean hasRatio = summary.ratio() != null;
        return new String[] {
            summary.workload(),
            summary.combination().label(),
            Units.nanos(summary.nanosPerOp().value()),
            Units.nanos(summary.nanosPerOp().interval()),
            hasRatio ? Units.ratio(summary.ratio().value()) : REFERENCE,
            hasRatio ? Units.ratio(summary.ratio().interval()) : REFERENCE,
            hasRatio ? summary.verdict().toString() : REFERENCE,
            Units.bytes(summary.memory().peakCommittedBytes()),
            Units.bytes(summary.memory().settledCommittedBytes()),
            Units.bytes(summary.memory().rssPeakBytes())};
    }

    private static String table(List<String[]> cells) {
        int[] widths = new int[HEADERS.length];
        for (String[] line : cells) {
            for (int column = 0; column < line.length; column++) {
                widths[column] = Math.max(widths[column], line[column].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int column = 0; column < line.length; column++) {
                String padding = " ".repeat(widths[column] - line[column].length());
                text.append(column == 0 ? "" : GAP)
                        .append(TEXT_COLUMNS.contains(column) ? line[column] + padding : padding + line[column]);
            }
            table.append(text.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String legend(Report report) {
        StringBuilder legend = new StringBuilder("\n");
        legend.append("ns/op: median of every measured iteration of every fork; 95% CI: two-level bootstrap over forks")
                .append(" and iterations.\n")
                .append("ratio: ns/op against ").append(report.reference().label())
                .append(" on the same workload (below 1: faster); a verdict only when its 95% CI excludes 1.\n")
                .append("peak committed: the most memory the allocator held above its start; settled committed: what")
                .append(" it held once everything was freed and its purge delay had passed; fork RSS peak: VmHWM of the")
                .append(" whole forked JVM. Medians over the forks.\n");
        for (Combination combination : report.combinations()) {
            legend.append("  ").append(combination.label()).append(": ").append(combination.description())
                    .append(" (committed: ").append(combination.committedSource()).append(")\n");
        }
        report.notes().forEach(note -> legend.append("note: ").append(note).append('\n'));
        return legend.toString();
    }
}
