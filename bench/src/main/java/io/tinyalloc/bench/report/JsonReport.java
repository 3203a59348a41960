package io.tinyalloc.bench.report;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as JSON: the run's metadata, and per workload and combination the summary figures
 * and every fork's raw ones (each measured iteration's ns/op, each memory figure in bytes, -1
 * when unknown). Rendered by Typesafe Config, which the project already depends on.
 */
public final class JsonReport {

    private JsonReport() {
    }

    /**
     * @param report the report
     * @return it as a JSON document
     */
    public static String render(Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", report.command());
        root.put("date", report.date().toString());
        root.put("machine", report.machine());
        root.put("settings", report.settings());
        root.put("statistics", Map.of("method", "two-level percentile bootstrap over forks and iterations",
                "confidence", Statistics.CONFIDENCE, "resamples", Statistics.RESAMPLES, "seed", Statistics.SEED));
        root.put("reference", report.reference().label());
        root.put("combinations", report.combinations().stream().map(JsonReport::combination).toList());
        root.put("workloads", report.workloads().stream()
                .map(workload -> Map.of("name", workload.name(), "description", workload.description())).toList());
        root.put("notes", report.notes());
        List<Object> results = new ArrayList<>();
        for (Summary summary : report.summaries()) {
            results.add(result(summary, forksOf(report, summary)));
        }
        root.put("results", results);
        return ConfigValueFactory.fromMap(root).render(ConfigRenderOptions.concise().setFormatted(true)) + "\n";
    }

    private static Map<String, Object> combination(Combination combination) {
        return Map.of("label", combination.label(), "allocator", combination.allocator(),
                "description", combination.description(), "committedSource", combination.committedSource());
    }

    private static Map<String, Object> result(Summary summary, List<ForkResult> forks) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", summary.workload());
        result.put("combination", summary.combination().label());
        result.put("nsPerOp", estimate(summary.nanosPerOp()));
        if (summary.ratio() != null) {
            result.put("ratio", estimate(summary.ratio()));
            result.put("verdict", summary.verdict().toString());
        }
        result.put("memoryMedians", memory(summary.memory()));
        result.put("forks", forks.stream().map(JsonReport::fork).toList());
        return result;
    }

    private static Map<String, Object> estimate(Statistics.Estimate estimate) {
        return Map.of("value", estimate.value(), "low", estimate.interval().low(), "high", estimate.interval().high());
    }

    private static Map<String, Object> memory(MemoryFigures memory) {
        return Map.of("peakCommittedBytes", memory.peakCommittedBytes(),
                "settledCommittedBytes", memory.settledCommittedBytes(),
                "rssPeakBytes", memory.rssPeakBytes(), "rssBytes", memory.rssBytes());
    }

    private static Map<String, Object> fork(ForkResult fork) {
        Map<String, Object> figures = new LinkedHashMap<>(memory(fork.memory()));
        figures.put("nsPerOp", Arrays.stream(fork.nanosPerOp()).boxed().toList());
        return figures;
    }

    private static List<ForkResult> forksOf(Report report, Summary summary) {
        return report.measurements().stream()
                .filter(m -> m.workload().equals(summary.workload()) && m.combination().equals(summary.combination().label()))
                .findFirst().orElseThrow().forks();
    }
}
