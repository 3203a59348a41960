package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.report.Combination;
import io.tinyalloc.bench.report.HtmlReport;
import io.tinyalloc.bench.report.JsonReport;
import io.tinyalloc.bench.report.Measurement;
import io.tinyalloc.bench.report.Report;
import io.tinyalloc.bench.report.ResultTable;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.workload.TraceWorkload;
import io.tinyalloc.bench.workload.Workload;
import io.tinyalloc.bench.workload.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.runner.RunnerException;

/**
 * What {@code compare}, {@code replay} and the default run share: check the combinations and
 * workloads, run the forks with a progress bar, print the table, write the reports.
 */
final class ComparisonRun {

    private final PrintWriter out;
    private final PrintWriter err;
    private final String command;

    /**
     * @param out where the table goes
     * @param err where notes go
     * @param command the command line, for the reports
     */
    ComparisonRun(PrintWriter out, PrintWriter err, String command) {
        this.out = out;
        this.err = err;
        this.command = command;
    }

    /**
     * Finds workloads by name, checking that a trace workload's trace exists.
     *
     * @param names workload names, or none for {@link Workloads#defaults()}
     * @return the workloads
     * @throws UsageException if a name is unknown; the message lists the known ones
     */
    static List<Workload> workloads(List<String> names) {
        if (names == null || names.isEmpty()) {
            return Workloads.defaults();
        }
        List<Workload> workloads = new ArrayList<>();
        for (String name : names) {
            try {
                Workload workload = Workloads.byName(name);
                if (workload instanceof TraceWorkload trace) {
                    TraceLibrary.ofRepository().find(trace.traceName());
                }
                workloads.add(workload);
            } catch (IllegalArgumentException unknown) {
                throw new UsageException(unknown.getMessage());
            }
        }
        return List.copyOf(workloads);
    }

    /**
     * Runs, prints and writes the reports.
     *
     * @param combinationArguments the combinations as named on the command line, the reference first
     * @param workloads the workloads
     * @param settings how long to measure
     * @param json where to write the JSON report, or {@code null}
     * @param html where to write the HTML report, or {@code null}
     * @return the exit status
     * @throws RunnerException if JMH fails
     * @throws IOException if a report cannot be written
     */
    int run(List<String> combinationArguments, List<Workload> workloads, Settings settings, Path json, Path html)
            throws RunnerException, IOException {
        Combinations.Resolved resolved = Combinations.resolve(combinationArguments);
        resolved.skipped().forEach(note -> err.println("tinyalloc: " + note));
        err.flush();
        List<Combination> combinations = resolved.available();
        if (combinations.isEmpty()) {
            err.println("tinyalloc: no combination to measure");
            return TinyAllocCommand.EXIT_FAILED;
        }
        List<String> leftOut = resolved.pairsLeftOut(workloads);
        leftOut.forEach(note -> err.println("tinyalloc: " + note));
        int forks = Comparison.forkCount(settings, workloads, combinations, resolved::canRun);
        out.printf("%d combination%s x %d workload%s, %s: %d forks%n", combinations.size(),
                combinations.size() == 1 ? "" : "s", workloads.size(), workloads.size() == 1 ? "" : "s",
                settings.describe(), forks);
        combinations.forEach(combination -> out.println("  " + combination.label() + ": " + combination.description()));
        out.flush();
        Instant start = Instant.now();
        List<Measurement> measurements;
        try (Progress progress = Progress.onTerminal("tinyalloc", forks)) {
            measurements = new Comparison(settings, progress, resolved::canRun).run(workloads, combinations);
        }
        Report report = new Report(command, start, Machine.describe(), settings.describe(), combinations,
                workloads.stream().map(w -> new Report.WorkloadInfo(w.name(), w.description())).toList(),
                measurements, notes(settings, resolved.skipped(), leftOut));
        out.println();
        out.print(ResultTable.format(report));
        write(json, JsonReport.render(report), "JSON");
        write(html, HtmlReport.render(report), "HTML report");
        out.flush();
        return TinyAllocCommand.EXIT_OK;
    }

    private static List<String> notes(Settings settings, List<String> skipped, List<String> leftOut) {
        List<String> notes = new ArrayList<>(skipped);
        notes.addAll(leftOut);
        if (settings.forks() == 1) {
            notes.add("1 fork per combination: the intervals leave out fork-to-fork variation and are too narrow"
                    + " (run without --quick, or with --forks 5, to call small differences)");
        }
        return notes;
    }

    private void write(Path file, String text, String what) throws IOException {
        if (file != null) {
            Path absolute = file.toAbsolutePath();
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            Files.writeString(absolute, text);
            out.println("wrote the " + what + " to " + absolute);
        }
    }
}
