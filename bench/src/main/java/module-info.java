/**
 * Benchmarks of tinyalloc against other allocators: JMH benchmarks, workloads, a reader and a
 * replayer of valgrind allocation traces, baselines called through FFM, and the
 * {@code tinyalloc} command-line tool.
 */
module io.tinyalloc.bench {
    requires io.tinyalloc;
    requires jmh.core;
    requires info.picocli;

    // JMH instantiates the benchmarks and its generated classes reflectively; picocli the commands.
    opens io.tinyalloc.bench to jmh.core;
    opens io.tinyalloc.bench.jmh_generated to jmh.core;
    opens io.tinyalloc.bench.cli to info.picocli;
}
