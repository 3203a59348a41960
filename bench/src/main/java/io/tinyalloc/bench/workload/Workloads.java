package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.trace.TraceLibrary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads by name: the batch loops; mimalloc-bench's multi-threaded patterns on 1 and 2
 * threads and on every core when there are more ({@code larson-1t}, {@code larson-2t}, ...:
 * {@code PATTERN-Nt} also runs on any other {@code N} up to {@value #MAX_THREADS}); thousands of
 * virtual threads ({@code vthreads-2k}); and {@code trace:NAME} for every recorded trace.
 */
public final class Workloads {

    /** The trace of the default comparison: a compiler, C and C++ allocation, 185k calls. */
    public static final String DEFAULT_TRACE = "gcc";

    /** The most threads that {@code PATTERN-Nt} asks for. */
    public static final int MAX_THREADS = 256;
    private static final String THREADS_SUFFIX = "t";
    private static final String VIRTUAL_THREADS_NAME = ThreadedPattern.VIRTUAL_THREADS.label() + "-2k";

    private static final Map<String, BatchWorkload> BATCHES = batches();
    private static final Map<String, ThreadedWorkload> THREADED = registerThreaded();

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

    private static Map<String, ThreadedWorkload> registerThreaded() {
        Map<String, ThreadedWorkload> threaded = new LinkedHashMap<>();
        for (ThreadedPattern pattern : ThreadedPattern.values()) {
            if (pattern == ThreadedPattern.VIRTUAL_THREADS) {
                threaded.put(VIRTUAL_THREADS_NAME, new ThreadedWorkload(pattern, VirtualThreadLanes.VIRTUAL_THREADS,
                        VIRTUAL_THREADS_NAME));
            } else {
                threadCounts().forEach(threads -> {
                    ThreadedWorkload workload = ThreadedWorkload.of(pattern, threads);
                    threaded.put(workload.name(), workload);
                });
            }
        }
        return Collections.unmodifiableMap(threaded);
    }

    /** @return 1 and 2, and the processor count when it is more */
    static List<Integer> threadCounts() {
        int processors = Runtime.getRuntime().availableProcessors();
        return processors > 2 ? List.of(1, 2, processors) : List.of(1, 2);
    }

    /**
     * Finds a workload.
     *
     * @param name a batch name such as {@code batch-64}, a threaded one such as
     *        {@code larson-2t} (any thread count from 1 to {@value #MAX_THREADS}) or
     *        {@code vthreads-2k}, or {@code trace:NAME}
     * @return the workload
     * @throws IllegalArgumentException if there is none of that name; the message lists them
     */
    public static Workload byName(String name) {
        if (name.startsWith(TraceWorkload.PREFIX)) {
            return new TraceWorkload(name.substring(TraceWorkload.PREFIX.length()));
        }
        Workload known = BATCHES.containsKey(name) ? BATCHES.get(name) : THREADED.get(name);
        if (known != null) {
            return known;
        }
        ThreadedWorkload otherThreadCount = withThreadCount(name);
        if (otherThreadCount == null) {
            throw new IllegalArgumentException("unknown workload: " + name + " (expected one of: "
                    + String.join(", ", builtInNames()) + "; PATTERN-Nt for N threads, 1 to " + MAX_THREADS
                    + "; or trace:NAME)");
        }
        return otherThreadCount;
    }

    /**
     * Finds a threaded workload.
     *
     * @param name a threaded workload's name, such as {@code larson-2t}
     * @return the workload
     * @throws IllegalArgumentException if there is no threaded workload of that name
     */
    public static ThreadedWorkload threaded(String name) {
        if (byName(name) instanceof ThreadedWorkload threaded) {
            return threaded;
        }
        throw new IllegalArgumentException(name + " is not a threaded workload (expected one of: "
                + String.join(", ", THREADED.keySet()) + ")");
    }

    /** @return {@code PATTERN-Nt} for another N than the registered ones, or {@code null} */
    private static ThreadedWorkload withThreadCount(String name) {
        for (ThreadedPattern pattern : ThreadedPattern.values()) {
            String prefix = pattern.label() + "-";
            if (pattern != ThreadedPattern.VIRTUAL_THREADS && name.startsWith(prefix) && name.endsWith(THREADS_SUFFIX)) {
                String count = name.substring(prefix.length(), name.length() - THREADS_SUFFIX.length());
                if (count.matches("[1-9][0-9]{0,2}") && Integer.parseInt(count) <= MAX_THREADS) {
                    return ThreadedWorkload.of(pattern, Integer.parseInt(count));
                }
            }
        }
        return null;
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
                + String.join(", ", BATCHES.keySet()) + ")");
    }

    /** @return the default comparison's workloads: every batch, then the replay of {@value #DEFAULT_TRACE} */
    public static List<Workload> defaults() {
        List<Workload> workloads = new ArrayList<>(BATCHES.values());
        workloads.add(new TraceWorkload(DEFAULT_TRACE));
        return workloads;
    }

    /**
     * Returns every workload there is: the batches, the threaded ones (each pattern on 1 and 2
     * threads, and on every core when there are more; virtual threads) and a replay of every
     * trace found.
     */
    public static List<Workload> all(TraceLibrary traces) {
        List<Workload> workloads = new ArrayList<>(BATCHES.values());
        workloads.addAll(THREADED.values());
        traces.names().forEach(trace -> workloads.add(new TraceWorkload(trace)));
        return workloads;
    }

    /** @return the threaded workloads: each pattern on 1 and 2 threads (and every core), virtual threads */
    public static List<ThreadedWorkload> threaded() {
        return List.copyOf(THREADED.values());
    }

    private static List<String> builtInNames() {
        List<String> names = new ArrayList<>(BATCHES.keySet());
        names.addAll(THREADED.keySet());
        return names;
    }
}
