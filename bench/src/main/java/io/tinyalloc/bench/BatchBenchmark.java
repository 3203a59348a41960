package io.tinyalloc.bench;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.workload.BatchWorkload;
import io.tinyalloc.bench.workload.Workloads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * A batch of 1,000 allocations, each written at its first byte, then 1,000 frees.
 *
 * <p>The score is in <b>nanoseconds per operation</b>, an operation being one allocation or one
 * free: one invocation is {@value BatchWorkload#OPS_PER_BATCH} operations. The peak committed
 * bytes are printed at the end of each fork.
 *
 * <p>Run with {@code ./tinyalloc}, or with JMH's own command line:
 * {@code java --enable-native-access=ALL-UNNAMED -cp ... org.openjdk.jmh.Main BatchBenchmark -p allocator=baseline:glibc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class BatchBenchmark {

    @SuppressWarnings("restricted")   // the JVM runs with --enable-native-access
    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** A batch workload of {@link Workloads}. */
    @Param({"batch-64", "batch-4k", "batch-1m", "batch-mixed"})
    public String workload;

    /** An allocator name of {@link BenchAllocators}. */
    @Param({BenchAllocators.TINYALLOC, BenchAllocators.GLIBC})
    public String allocator;

    private BenchAllocator benchAllocator;
    private int[] byteSizes;
    private long[] addresses;
    private PeakCommitted peakCommitted;

    /**
     * Opens the allocator and runs one batch to measure its footprint.
     *
     * @throws AllocatorUnavailableException if the allocator cannot be opened here
     */
    @Setup(Level.Trial)
    public void open() throws AllocatorUnavailableException {
        benchAllocator = BenchAllocators.open(allocator);
        byteSizes = Workloads.batch(workload).byteSizes();
        addresses = new long[byteSizes.length];
        peakCommitted = new PeakCommitted(benchAllocator);
        allocateBatch();
        peakCommitted.sample();
        freeBatch();
        peakCommitted.sample();
    }

    /** Allocates and touches the batch, then frees it. */
    @Benchmark
    @OperationsPerInvocation(BatchWorkload.OPS_PER_BATCH)
    public void allocateThenFree() {
        allocateBatch();
        freeBatch();
    }

    /*
     * The two loops are compiled each on its own, as a program's allocations and frees would be
     * (they sit in different methods), for every allocator alike. Inlined into one method, their
     * inlined calls add up past C2's budget for one compilation (NodeCountInliningCutoff), which
     * then leaves the last calls of the free path out of line: a cliff of one benchmark's shape
     * (tinyalloc's batch-64 went from 5.3 to 7.5 ns per operation when one more field was read).
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void allocateBatch() {
        BenchAllocator allocator = benchAllocator;
        int[] sizes = byteSizes;
        long[] blocks = addresses;
        for (int i = 0; i < sizes.length; i++) {
            long address = allocator.allocate(sizes[i]);
            EVERYWHERE.set(ValueLayout.JAVA_BYTE, address, (byte) i);
            blocks[i] = address;
        }
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void freeBatch() {
        BenchAllocator allocator = benchAllocator;
        long[] blocks = addresses;
        for (long block : blocks) {
            allocator.free(block);
        }
    }

    /** Samples what the allocator kept after the iteration's batches. */
    @TearDown(Level.Iteration)
    public void sampleCommitted() {
        peakCommitted.sample();
    }

    /** Reports the peak and closes the allocator. */
    @TearDown(Level.Trial)
    public void close() {
        peakCommitted.report(workload);
        benchAllocator.close();
    }
}
