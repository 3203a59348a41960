package io.tinyalloc.bench.report;

/**
 * One allocator setup under comparison: a {@code tinyalloc.conf}, tinyalloc's defaults or a
 * baseline.
 *
 * @param label the short name the report shows, such as {@code A.conf} or {@code baseline:glibc}
 * @param allocator the name the benchmarks open it by (see {@code BenchAllocators.open})
 * @param description its strategy combination or library, one line
 * @param committedSource where its committed-byte figures come from
 */
public record Combination(String label, String allocator, String description, String committedSource) {
}
