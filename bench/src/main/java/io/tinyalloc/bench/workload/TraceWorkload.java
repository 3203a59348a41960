package io.tinyalloc.bench.workload;

import java.util.Map;

/**
 * The replay of a recorded trace (see {@code io.tinyalloc.bench.trace.TraceLibrary}), touching
 * the first and last byte of every block.
 *
 * @param traceName the trace, such as {@code gcc}
 */
public record TraceWorkload(String traceName) implements Workload {

    /** The prefix of a trace workload's name: {@code trace:gcc}. */
    public static final String PREFIX = "trace:";

    @Override
    public String name() {
        return PREFIX + traceName;
    }

    @Override
    public String description() {
        return "replay of the " + traceName + " trace";
    }

    @Override
    public String jmhBenchmark() {
        return "io.tinyalloc.bench.TraceReplayBenchmark.replay";
    }

    @Override
    public Map<String, String> jmhParameters() {
        return Map.of("trace", traceName);
    }
}
