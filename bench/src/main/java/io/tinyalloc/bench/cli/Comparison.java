package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.workload.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs workloads against allocators with JMH, one fork per pair, and collects for each the
 * median time per operation over the measurement iterations and the peak committed bytes.
 */
final class Comparison {

    /**
     * How long JMH runs each pair.
     *
     * @param warmupIterations iterations before measuring
     * @param warmupMillis the length of each warm-up iteration
     * @param measurementIterations iterations measured
     * @param measurementMillis the length of each measured iteration
     */
    record Settings(int warmupIterations, long warmupMillis, int measurementIterations, long measurementMillis) {

        /** Short runs for the default comparison: about 2 s per pair on an idle machine, the fork's start included. */
        static final Settings QUICK = new Settings(2, 250, 5, 150);
    }

    /**
     * One workload on one allocator.
     *
     * @param workload the workload's name
     * @param allocator the allocator's name
     * @param medianNanosPerOp the median of the measured iterations, in ns per operation
     * @param errorNanosPerOp the median absolute deviation of the iterations from that median
     * @param peakCommittedBytes the most memory held above the start, in bytes, or -1 if unknown
     * @param committedSource where the committed figure comes from
     */
    record Row(String workload, String allocator, double medianNanosPerOp, double errorNanosPerOp,
            long peakCommittedBytes, String committedSource) {
    }

    /** Shared with {@code io.tinyalloc.bench.PeakCommitted}, which writes the file in each fork. */
    private static final String RESULTS_FILE_PROPERTY = "tinyalloc.bench.results";
    private static final double NANOS_PER_SECOND = 1e9;
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** JMH 1.37 uses sun.misc.Unsafe in the forks: allowed, so that JDK 24+ does not print a warning. */
    private static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    private static final String[] FORWARDED_PROPERTIES = {"tinyalloc.home", "tinyalloc.config.file"};

    private final Settings settings;
    private final PrintWriter progress;

    Comparison(Settings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs every workload on every allocator, allocators in the inner loop.
     *
     * @throws RunnerException if JMH fails, or a benchmark throws
     */
    List<Row> run(List<Workload> workloads, List<String> allocators) throws RunnerException {
        List<Row> rows = new ArrayList<>();
        Path results = temporaryResultsFile();
        try {
            for (Workload workload : workloads) {
                for (String allocator : allocators) {
                    progress.printf("  %-14s on %-16s", workload.name(), allocator);
                    progress.flush();
                    long startNanos = System.nanoTime();
                    Collection<RunResult> runs = new Runner(options(workload, allocator, results).build()).run();
                    rows.add(row(workload, allocator, runs, results));
                    progress.printf(" %4.1f s%n", (System.nanoTime() - startNanos) / NANOS_PER_SECOND);
                    progress.flush();
                }
            }
        } finally {
            deleteQuietly(results);
        }
        return rows;
    }

    private ChainedOptionsBuilder options(Workload workload, String allocator, Path results) {
        List<String> jvmArgs = new ArrayList<>(List.of(NATIVE_ACCESS, UNSAFE_ACCESS, "-D" + RESULTS_FILE_PROPERTY + "=" + results));
        for (String property : FORWARDED_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                jvmArgs.add("-D" + property + "=" + value);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + workload.jmhBenchmark().replace(".", "\\.") + "$")
                .param("allocator", allocator)
                .forks(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        workload.jmhParameters().forEach(options::param);
        return options;
    }

    private static Row row(Workload workload, String allocator, Collection<RunResult> runs, Path results) {
        if (runs.size() != 1) {
            throw new IllegalStateException("JMH ran " + runs.size() + " benchmarks for " + workload.name() + " on "
                    + allocator + " (expected: 1)");
        }
        double[] scores = runs.iterator().next().getBenchmarkResults().stream()
                .flatMap(result -> result.getIterationResults().stream())
                .mapToDouble(iteration -> iteration.getPrimaryResult().getScore())
                .toArray();
        double median = median(scores);
        double[] deviations = Arrays.stream(scores).map(score -> Math.abs(score - median)).toArray();
        String[] peak = peakLine(results, workload.name(), allocator);
        return new Row(workload.name(), allocator, median, median(deviations),
                peak == null ? -1 : Long.parseLong(peak[2]), peak == null ? "unknown" : peak[3]);
    }

    /** The last line that a fork wrote for this pair: workload, allocator, bytes, source. */
    private static String[] peakLine(Path results, String workload, String allocator) {
        try {
            return Files.readAllLines(results).stream()
                    .map(line -> line.split("\t", 4))
                    .filter(fields -> fields.length == 4 && fields[0].equals(workload) && fields[1].equals(allocator))
                    .reduce((first, second) -> second)
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark's peak committed bytes from " + results, e);
        }
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Path temporaryResultsFile() {
        try {
            return Files.createTempFile("tinyalloc-bench-", ".tsv");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the benchmarks' results", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file left behind is harmless.
        }
    }
}
