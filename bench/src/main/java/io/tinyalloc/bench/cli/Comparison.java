package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.MemoryProfiler;
import io.tinyalloc.bench.report.Combination;
import io.tinyalloc.bench.report.ForkResult;
import io.tinyalloc.bench.report.Measurement;
import io.tinyalloc.bench.report.MemoryFigures;
import io.tinyalloc.bench.workload.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs combinations on workloads with JMH, one fork at a time, interleaved: round after round,
 * each round running every workload on every combination once (A B A B ...), so that a drift of
 * the machine over the run (another process, heat) falls on every combination alike. Each fork is
 * a JVM of its own, so the allocator's call sites stay monomorphic.
 */
final class Comparison {

    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** JMH 1.37 uses sun.misc.Unsafe in the forks: allowed, so that JDK 24+ does not print a warning. */
    private static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    private static final String[] FORWARDED_PROPERTIES = {"tinyalloc.home", "tinyalloc.config.file"};
    /** The JMH parameter that names the allocator in every benchmark. */
    private static final String ALLOCATOR_PARAMETER = "allocator";

    private final Settings settings;
    private final Progress progress;
    private final BiPredicate<Workload, Combination> runnable;

    /**
     * @param runnable whether a workload can run on a combination; the pairs that cannot are left out
     */
    Comparison(Settings settings, Progress progress, BiPredicate<Workload, Combination> runnable) {
        this.settings = settings;
        this.progress = progress;
        this.runnable = runnable;
    }

    /** @return how many forks {@link #run} starts */
    static int forkCount(Settings settings, List<Workload> workloads, List<Combination> combinations,
            BiPredicate<Workload, Combination> runnable) {
        long pairs = workloads.stream()
                .mapToLong(workload -> combinations.stream().filter(c -> runnable.test(workload, c)).count())
                .sum();
        return Math.toIntExact(settings.forks() * pairs);
    }

    /**
     * Runs every workload on every combination it can run on, {@link Settings#forks()} times each.
     *
     * @return one measurement per workload and combination, workloads outermost
     * @throws RunnerException if JMH fails, or a benchmark throws
     */
    List<Measurement> run(List<Workload> workloads, List<Combination> combinations) throws RunnerException {
        Map<String, Map<String, List<ForkResult>>> forks = new LinkedHashMap<>();
        for (Workload workload : workloads) {
            Map<String, List<ForkResult>> byCombination = new LinkedHashMap<>();
            combinations.stream().filter(combination -> runnable.test(workload, combination))
                    .forEach(combination -> byCombination.put(combination.label(), new ArrayList<>()));
            forks.put(workload.name(), byCombination);
        }
        for (int round = 1; round <= settings.forks(); round++) {
            for (Workload workload : workloads) {
                for (Combination combination : combinations) {
                    if (!runnable.test(workload, combination)) {
                        continue;
                    }
                    progress.starting(workload.name() + " on " + combination.label() + ", fork " + round + "/"
                            + settings.forks());
                    forks.get(workload.name()).get(combination.label()).add(runFork(workload, combination));
                    progress.done();
                }
            }
        }
        List<Measurement> measurements = new ArrayList<>();
        forks.forEach((workload, byCombination) -> byCombination.forEach(
                (combination, results) -> measurements.add(new Measurement(workload, combination, results))));
        return measurements;
    }

    private ForkResult runFork(Workload workload, Combination combination) throws RunnerException {
        Collection<RunResult> runs = new Runner(options(workload, combination.allocator()).build()).run();
        if (runs.size() != 1) {
            throw new IllegalStateException("JMH ran " + runs.size() + " benchmarks for " + workload.name() + " on "
                    + combination.label() + " (expected: 1)");
        }
        List<IterationResult> iterations = runs.iterator().next().getBenchmarkResults().stream()
                .flatMap(result -> result.getIterationResults().stream())
                .toList();
        double[] scores = iterations.stream().mapToDouble(iteration -> iteration.getPrimaryResult().getScore()).toArray();
        return new ForkResult(scores, memory(iterations.getLast().getSecondaryResults()));
    }

    /** The memory figures of a fork's last iteration: by then the trial has freed everything and settled. */
    static MemoryFigures memory(Map<String, Result> secondary) {
        return new MemoryFigures(bytes(secondary, MemoryProfiler.PEAK_COMMITTED),
                bytes(secondary, MemoryProfiler.SETTLED_COMMITTED), bytes(secondary, MemoryProfiler.RSS_PEAK),
                bytes(secondary, MemoryProfiler.RSS));
    }

    private static long bytes(Map<String, Result> secondary, String label) {
        Result result = secondary.get(label);
        return result == null ? MemoryFigures.UNKNOWN : (long) result.getScore();
    }

    private ChainedOptionsBuilder options(Workload workload, String allocator) {
        List<String> jvmArgs = new ArrayList<>(List.of(NATIVE_ACCESS, UNSAFE_ACCESS));
        for (String property : FORWARDED_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                jvmArgs.add("-D" + property + "=" + value);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + workload.jmhBenchmark().replace(".", "\\.") + "$")
                .param(ALLOCATOR_PARAMETER, allocator)
                .forks(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                .addProfiler(MemoryProfiler.class)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        workload.jmhParameters().forEach(options::param);
        return options;
    }
}
