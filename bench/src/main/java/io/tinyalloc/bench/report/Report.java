package io.tinyalloc.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one comparison measured, with what is needed to read it: the command, when and
 * where it ran, the settings, the combinations and workloads, and every fork's raw figures. The
 * first combination is the reference that the others' ratios are against.
 *
 * @param command the command line that produced it
 * @param date when the run started
 * @param machine the machine and JVM, one line
 * @param settings the JMH settings, one line
 * @param combinations the combinations, the reference first
 * @param workloads the workloads, in the order to show them
 * @param measurements every combination's forks on every workload
 * @param notes what the reader must know: combinations skipped, settings that weaken the intervals
 */
public record Report(String command, Instant date, String machine, String settings, List<Combination> combinations,
        List<WorkloadInfo> workloads, List<Measurement> measurements, List<String> notes) {

    /**
     * A workload as the report names it.
     *
     * @param name its name, such as {@code batch-64}
     * @param description what it stresses, one line
     */
    public record WorkloadInfo(String name, String description) {
    }

    /** Keeps copies of the lists. */
    public Report {
        combinations = List.copyOf(combinations);
        workloads = List.copyOf(workloads);
        measurements = List.copyOf(measurements);
        notes = List.copyOf(notes);
    }

    /**
     * Summarises every measurement: per workload, each combination in order, with its ratio to
     * the first combination's on that workload.
     *
     * @return the summaries, grouped by workload
     */
    public List<Summary> summaries() {
        List<Summary> summaries = new ArrayList<>();
        for (WorkloadInfo workload : workloads) {
            Measurement reference = measurement(workload.name(), combinations.getFirst().label()).orElse(null);
            for (Combination combination : combinations) {
                measurement(workload.name(), combination.label())
                        .ifPresent(measured -> summaries.add(Summary.of(measured, combination, reference)));
            }
        }
        return summaries;
    }

    /** @return the reference combination: the first */
    public Combination reference() {
        return combinations.getFirst();
    }

    private Optional<Measurement> measurement(String workload, String combination) {
        return measurements.stream()
                .filter(m -> m.workload().equals(workload) && m.combination().equals(combination))
                .findFirst();
    }
}
