package io.tinyalloc.bench;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.trace.Trace;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.trace.TraceReplay;
import io.tinyalloc.bench.workload.TraceWorkload;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replay of a recorded trace, touching the first and last byte of every block: any trace
 * of {@link TraceLibrary} by name ({@code gcc}, a {@code NAME.trace} recorded with
 * {@code TracingAllocator}), or any trace file by path.
 *
 * <p>The score is in <b>nanoseconds per trace operation</b> (one allocation, reallocation or
 * free): each invocation runs the next {@value #OPS_PER_INVOCATION} operations of the trace,
 * starting it again (after freeing what it left live) when it reaches the end. A trace of one
 * thread runs on the benchmark thread. A trace of several threads runs on as many platform
 * threads, the benchmark thread being the first, each running its recorded thread's operations,
 * blocks freed by other threads than their allocating one included (see {@link TraceReplay});
 * the score is then the wall time of an invocation over its operations, and includes two
 * barriers per invocation, which the large {@value #OPS_PER_INVOCATION} makes negligible. The
 * peak committed bytes, sampled during one full replay before measuring, are printed at the end
 * of each fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class TraceReplayBenchmark {

    /** Operations per invocation: enough to make the timer's cost, and a multi-thread replay's barriers, negligible. */
    static final int OPS_PER_INVOCATION = 1 << 16;
    /** How often the footprint is sampled during the replay before measuring, in operations. */
    private static final int SAMPLE_EVERY_OPS = 1024;

    /** A trace name of {@link TraceLibrary}, or the path of a trace file in either format. */
    @Param({"gcc", "python-xml", "jq"})
    public String trace;

    /** An allocator name of {@link BenchAllocators}. */
    @Param({BenchAllocators.TINYALLOC, BenchAllocators.GLIBC})
    public String allocator;

    private BenchAllocator benchAllocator;
    private TraceReplay replay;
    private PeakCommitted peakCommitted;

    /**
     * Reads the trace, opens the allocator and replays the trace once to measure its footprint.
     *
     * @throws AllocatorUnavailableException if the allocator cannot be opened here
     */
    @Setup(Level.Trial)
    public void open() throws AllocatorUnavailableException {
        Trace recorded = TraceLibrary.ofRepository().read(trace);
        benchAllocator = BenchAllocators.open(allocator);
        replay = new TraceReplay(recorded, TraceReplay.Check.TOUCH);
        peakCommitted = new PeakCommitted(benchAllocator);
        for (int done = 0; done < recorded.opCount(); done += SAMPLE_EVERY_OPS) {
            replay.runCyclic(benchAllocator, Math.min(SAMPLE_EVERY_OPS, recorded.opCount() - done));
            peakCommitted.sample();
        }
        replay.finish(benchAllocator);
    }

    /** Runs the next operations of the trace. */
    @Benchmark
    @OperationsPerInvocation(OPS_PER_INVOCATION)
    public void replay() {
        replay.runCyclic(benchAllocator, OPS_PER_INVOCATION);
    }

    /** Samples what the allocator holds at the end of the iteration. */
    @TearDown(Level.Iteration)
    public void sampleCommitted() {
        peakCommitted.sample();
    }

    /** Frees what the replay left live, reports the peak and closes the allocator. */
    @TearDown(Level.Trial)
    public void close() {
        replay.finish(benchAllocator);
        peakCommitted.report(TraceWorkload.PREFIX + trace);
        benchAllocator.close();
    }
}
