/**
 * Benchmarks of tinyalloc against other allocators: JMH benchmarks, workloads, a reader and a
 * replayer of valgrind allocation traces, baselines (C allocators through FFM, the JDK's and
 * Netty's off-heap memory), and the {@code tinyalloc} command-line tool.
 */
module io.tinyalloc.bench {
    requires io.tinyalloc;
    requires jmh.core;
    requires info.picocli;
    // baseline:unsafe (sun.misc.Unsafe), baseline:direct (the direct buffer pool's figures),
    // baseline:netty-pooled and baseline:netty-adaptive.
    requires jdk.unsupported;
    requires java.management;
    requires io.netty.buffer;
    requires io.netty.common;
    // The tool's reports and progress: charts, PNG drawing, the progress bar.
    requires org.knowm.xchart;
    requires java.desktop;
    requires me.tongfei.progressbar;

    // JMH instantiates the benchmarks and its generated classes reflectively; picocli the commands.
    opens io.tinyalloc.bench to jmh.core;
    opens io.tinyalloc.bench.jmh_generated to jmh.core;
    opens io.tinyalloc.bench.cli to info.picocli;
}
