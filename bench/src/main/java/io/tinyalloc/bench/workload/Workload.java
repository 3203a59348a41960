package io.tinyalloc.bench.workload;

import java.util.Map;

/**
 * A named, repeatable way of using an allocator, run by a JMH benchmark: {@code batch-64}, a
 * multi-threaded pattern such as {@code larson-2t}, a trace replay, ... Obtained from
 * {@link Workloads}.
 */
public sealed interface Workload permits BatchWorkload, ThreadedWorkload, TraceWorkload {

    /** @return the workload's name, as given to {@link Workloads#byName(String)} */
    String name();

    /** @return what it stresses, one line */
    String description();

    /** @return the JMH benchmark method that runs it, {@code class.method} */
    String jmhBenchmark();

    /** @return the JMH parameters that select it in that benchmark, the allocator excepted */
    Map<String, String> jmhParameters();
}
