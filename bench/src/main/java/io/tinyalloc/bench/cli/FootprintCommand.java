package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.alloc.ForwardingBenchAllocator;
import io.tinyalloc.bench.trace.Trace;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.trace.TraceReplay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tinyalloc footprint}: replays traces once each through tinyalloc and reports the peak
 * committed bytes against the trace's peak live bytes. Unlike the benchmarks, which replay a
 * trace over and over, this is one run of the program as it was recorded.
 */
@Command(name = "footprint", mixinStandardHelpOptions = true,
        description = {
            "Replays each trace once through tinyalloc, reading its committed bytes every "
                    + FootprintCommand.SAMPLE_INTERVAL_OPS + " operations, and prints the trace's peak live bytes"
                    + " (in the sizes it asked for), tinyalloc's peak committed bytes and their ratio."})
final class FootprintCommand implements Callable<Integer> {

    /** An argument names no trace. */
    private static final int EXIT_USAGE = 2;

    /** Operations between two readings of the committed bytes. */
    static final int SAMPLE_INTERVAL_OPS = 256;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "a tinyalloc.conf (default: the defaults)")
    private Path config;

    @Parameters(paramLabel = "TRACE", arity = "0..*",
            description = "trace names (see `tinyalloc list`); default: every trace found")
    private List<String> traceNames;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TraceLibrary library = TraceLibrary.ofRepository();
        List<String> names = traceNames == null || traceNames.isEmpty() ? library.names() : traceNames;
        String allocatorName = config == null ? BenchAllocators.TINYALLOC
                : BenchAllocators.TINYALLOC_WITH_FILE_PREFIX + config.toAbsolutePath();
        out.printf("%-12s %14s %16s %6s%n", "trace", "peak live", "peak committed", "ratio");
        for (String name : names) {
            Trace trace;
            try {
                trace = library.read(name);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("tinyalloc footprint: " + e.getMessage());
                return EXIT_USAGE;
            }
            try (SampledAllocator allocator = new SampledAllocator(BenchAllocators.open(allocatorName))) {
                TraceReplay.Result result = new TraceReplay(trace, TraceReplay.Check.TOUCH).run(allocator);
                out.printf("%-12s %14d %16d %5.2fx%n", name, result.peakLiveBytes(), allocator.peakCommittedBytes,
                        (double) allocator.peakCommittedBytes / result.peakLiveBytes());
            } catch (AllocatorUnavailableException e) {
                spec.commandLine().getErr().println("tinyalloc: " + e.getMessage());
                return TinyAllocCommand.EXIT_FAILED;
            }
        }
        return TinyAllocCommand.EXIT_OK;
    }

    /** Passes every call through and reads the committed bytes every few operations. */
    private static final class SampledAllocator extends ForwardingBenchAllocator {

        private int opsUntilSample = SAMPLE_INTERVAL_OPS;
        private long peakCommittedBytes;

        SampledAllocator(BenchAllocator allocator) {
            super(allocator);
        }

        private void sample() {
            if (--opsUntilSample == 0) {
                opsUntilSample = SAMPLE_INTERVAL_OPS;
                peakCommittedBytes = Math.max(peakCommittedBytes, delegate.committedBytes());
            }
        }

        @Override
        public long allocate(long byteSize) {
            sample();
            return super.allocate(byteSize);
        }

        @Override
        public long allocateZeroed(long byteSize) {
            sample();
            return super.allocateZeroed(byteSize);
        }

        @Override
        public long allocate(long byteSize, long byteAlignment) {
            sample();
            return super.allocate(byteSize, byteAlignment);
        }

        @Override
        public long reallocate(long address, long byteSize) {
            sample();
            return super.reallocate(address, byteSize);
        }

        @Override
        public void free(long address) {
            sample();
            super.free(address);
        }
    }
}
