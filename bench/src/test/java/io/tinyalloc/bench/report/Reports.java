package io.tinyalloc.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small synthetic report: two combinations, two workloads, two forks each. */
final class Reports {

    static final List<String> WORKLOADS = List.of("batch-64", "trace:gcc");
    static final List<String> COMBINATIONS = List.of("baseline:glibc", "fast.conf");

    private Reports() {
    }

    static Report sample() {
        List<Combination> combinations = List.of(
                new Combination("baseline:glibc", "baseline:glibc", "glibc malloc", "mallinfo2"),
                new Combination("fast.conf", "tinyalloc:/tmp/fast.conf", "platform=linux size-classes=jemalloc", "stats"));
        List<Measurement> measurements = new ArrayList<>();
        for (String workload : WORKLOADS) {
            double base = workload.equals("batch-64") ? 20 : 40;
            measurements.add(new Measurement(workload, "baseline:glibc", forks(base, 300 << 10)));
            measurements.add(new Measurement(workload, "fast.conf", forks(base / 4, 1 << 20)));
        }
        return new Report("tinyalloc compare baseline:glibc fast.conf", Instant.parse("2026-11-21T12:00:00Z"),
                "test machine", "JMH: 2 forks", combinations,
                WORKLOADS.stream().map(name -> new Report.WorkloadInfo(name, "what " + name + " does")).toList(),
                measurements, List.of("a <note> & more"));
    }

    private static List<ForkResult> forks(double nanos, long peakBytes) {
        return List.of(
                new ForkResult(new double[] {nanos, nanos * 1.01, nanos * 0.99}, new MemoryFigures(peakBytes, peakBytes / 2, 100 << 20, 90 << 20)),
                new ForkResult(new double[] {nanos * 1.02, nanos * 1.0, nanos * 0.98}, new MemoryFigures(peakBytes, peakBytes / 2, 101 << 20, 91 << 20)));
    }
}
