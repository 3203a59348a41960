package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.trace.TraceLibrary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads by name: the batch loops, and {@code trace:NAME} for every recorded trace.
 */
public final class Workloads {

    /** The trace of the default comparison: a compiler, C and C++ allocation, 185k calls. */
    public static final String DEFAULT_TRACE = "gcc";

    private static final Map<String, BatchWorkload> BATCHES = batches();

    private Workloads() {
    }

    private static Map<String, BatchWorkload> batches() {
        Map<String, BatchWorkload> batches = new LinkedHashMap<>();
        for (BatchWorkload batch : List.of(
                BatchWorkload.fixed("batch-64", 64),
                BatchWorkload.fixed("batch-4k", 4 << 10),
                BatchWorkload.fixed("batch-1m", 1 << 20),
                BatchWorkload.mixed("batch-mixed"))) {
            batches.put(batch.name(), batch);
        }
        return Collections.unmodifiableMap(batches);
    }

    /**
     * Finds a workload.
     *
     * @param name a batch name such as {@code batch-64}, or {@code trace:NAME}
     * @return the workload
     * @throws IllegalArgumentException if there is none of that name; the message lists them
     */
    public static Workload byName(String name) {
        if (name.startsWith(TraceWorkload.PREFIX)) {
            return new TraceWorkload(name.substring(TraceWorkload.PREFIX.length()));
        }
        BatchWorkload batch = BATCHES.get(name);
        if (batch == null) {
            throw new IllegalArgumentException("unknown workload: " + name + " (expected one of: "
                    + String.join(", ", batchNames()) + ", or trace:NAME)");
        }
        return batch;
    }

    /**
     * Finds a batch workload.
     *
     * @param name a batch name such as {@code batch-64}
     * @return the workload
     * @throws IllegalArgumentException if there is no batch of that name
     */
    public static BatchWorkload batch(String name) {
        if (byName(name) instanceof BatchWorkload batch) {
            return batch;
        }
        throw new IllegalArgumentException(name + " is not a batch workload (expected one of: "
                + String.join(", ", batchNames()) + ")");
    }

    /** @return the default comparison's workloads: every batch, then the replay of {@value #DEFAULT_TRACE} */
    public static List<Workload> defaults() {
        List<Workload> workloads = new ArrayList<>(BATCHES.values());
        workloads.add(new TraceWorkload(DEFAULT_TRACE));
        return workloads;
    }

    /** @return every workload there is: the batches and a replay of every trace found */
    public static List<Workload> all(TraceLibrary traces) {
        List<Workload> workloads = new ArrayList<>(BATCHES.values());
        traces.names().forEach(trace -> workloads.add(new TraceWorkload(trace)));
        return workloads;
    }

    private static List<String> batchNames() {
        return List.copyOf(BATCHES.keySet());
    }
}
