package io.tinyalloc.bench;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.workload.ThreadedRun;
import io.tinyalloc.bench.workload.ThreadedWorkload;
import io.tinyalloc.bench.workload.Workloads;
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
 * A multi-threaded workload: larson, xmalloc-test, cache-scratch, alloc-test, mstress,
 * sh6bench on their own threads, or virtual threads.
 *
 * <p>JMH runs this benchmark on one thread, which coordinates the workload's own threads:
 * they are started in the trial setup, and each invocation is one round, in which they run
 * {@value ThreadedWorkload#OPS_PER_ROUND} allocations and frees between them while this thread
 * waits. The score is in <b>nanoseconds per operation</b> (one allocation or one free) of wall
 * time, all threads together: with two threads working in parallel it is about half the time
 * each operation takes its thread. A round lasts milliseconds, so releasing the threads and
 * learning that they finished (tens of microseconds) stays under one percent.
 *
 * <p>The peak committed bytes are sampled about every millisecond while the workload's
 * threads run two rounds before measuring (by this thread, which is idle then), and at the end
 * of each iteration; everything is freed before the trial's report.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ThreadedBenchmark {

    /** Rounds run before measuring, sampling the footprint while they run. */
    private static final int SAMPLED_ROUNDS = 2;

    /** A threaded workload of {@link Workloads}. */
    @Param({"larson-2t", "xmalloc-test-2t", "cache-scratch-2t", "alloc-test-2t", "mstress-2t", "sh6bench-2t", "vthreads-2k"})
    public String workload;

    /** An allocator name of {@link BenchAllocators}. */
    @Param({BenchAllocators.TINYALLOC, BenchAllocators.GLIBC})
    public String allocator;

    private BenchAllocator benchAllocator;
    private ThreadedRun run;
    private PeakCommitted peakCommitted;

    /**
     * Opens the allocator, starts the workload's threads and runs a few sampled rounds.
     *
     * @throws AllocatorUnavailableException if the allocator cannot be opened here, or cannot
     *         free blocks in other threads and the workload does that
     */
    @Setup(Level.Trial)
    public void start() throws AllocatorUnavailableException {
        ThreadedWorkload threaded = Workloads.threaded(workload);
        benchAllocator = BenchAllocators.open(allocator);
        peakCommitted = new PeakCommitted(benchAllocator);
        run = threaded.start(benchAllocator);
        peakCommitted.sample();
        for (int round = 0; round < SAMPLED_ROUNDS; round++) {
            run.round(peakCommitted::sample);
        }
    }

    /** Runs one round of the workload on its threads. */
    @Benchmark
    @OperationsPerInvocation(ThreadedWorkload.OPS_PER_ROUND)
    public void round() {
        run.round();
    }

    /** Samples what the allocator holds at the end of the iteration. */
    @TearDown(Level.Iteration)
    public void sampleCommitted() {
        peakCommitted.sample();
    }

    /** Frees everything, ends the workload's threads, reports the peak and closes the allocator. */
    @TearDown(Level.Trial)
    public void close() {
        if (run != null) {
            run.close();
        }
        peakCommitted.report(workload);
        benchAllocator.close();
    }
}
