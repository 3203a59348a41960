package io.tinyalloc.bench;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.concurrent.TimeUnit;

/**
 * The memory an allocator held during a benchmark, above what it held when the benchmark
 * started: the peak, sampled outside the measured code (committed-byte figures can be slow) at
 * the points where a workload's live memory peaks and at the end of each iteration; and the
 * settled figure, read at the end once everything was freed and the purge delay had passed.
 *
 * <p>The contract with the benchmarks: {@code new PeakCommitted(allocator)} in the trial set-up,
 * {@link #sample()} where live memory peaks and at each iteration's end, {@link #report(String)}
 * in the trial tear-down after everything was freed. When the {@code tinyalloc} tool runs the
 * fork, {@link MemoryProfiler} hands both figures to JMH as secondary results; under plain JMH
 * {@code report} prints them.
 */
final class PeakCommitted {

    /** How often the settled figure is read while it still falls. */
    private static final long SETTLE_POLL_MILLIS = 20;
    /** Readings in a row that must not fall for the figure to count as settled: 200 ms. */
    private static final int SETTLED_AFTER_STEADY_POLLS = 10;
    /** The most time spent waiting for the figure to settle: beyond the default purge delay and large-cache age. */
    private static final long SETTLE_LIMIT_MILLIS = 3_000;

    /**
     * The instance of the running trial, for {@link MemoryProfiler}. Written by the benchmark
     * thread in the set-up; read by JMH's runner thread after an iteration's results were
     * collected, which happens after the set-up.
     */
    private static volatile PeakCommitted current;

    private final BenchAllocator allocator;
    private final long startBytes;
    /**
     * Written by the benchmark thread only; read by the profiler on JMH's runner thread after the
     * iteration ended (JMH collects the iteration's results through futures, which orders the
     * writes before the read), so plain fields suffice.
     */
    private long peakBytes;
    private long settledBytes = -1;

    PeakCommitted(BenchAllocator allocator) {
        this.allocator = allocator;
        this.startBytes = allocator.committedBytes();
        this.peakBytes = startBytes;
        current = this;
    }

    void sample() {
        peakBytes = Math.max(peakBytes, allocator.committedBytes());
    }

    /** @return the peak above the start, in bytes */
    long peakAboveStartBytes() {
        return Math.max(0, peakBytes - startBytes);
    }

    /** @return the settled figure above the start, in bytes, or -1 before {@link #report} */
    long settledAboveStartBytes() {
        return settledBytes < 0 ? -1 : Math.max(0, settledBytes - startBytes);
    }

    /** @return where the figures come from */
    String source() {
        return allocator.committedBytesSource();
    }

    /** @return the instance of the running trial, or {@code null} before the first */
    static PeakCommitted current() {
        return current;
    }

    /**
     * Waits for the committed bytes to stop falling, then records them as the settled figure;
     * prints both figures unless {@link MemoryProfiler} collects them.
     *
     * @param workload the workload's name, for the printed line
     */
    void report(String workload) {
        sample();
        settledBytes = settle();
        if (!MemoryProfiler.isActive()) {
            System.out.printf("# %s on %s: peak committed %,d bytes above the start, settled %,d (%s)%n",
                    workload, allocator.name(), peakAboveStartBytes(), settledAboveStartBytes(), source());
        }
    }

    /** Polls the committed bytes until they have not fallen for a while, or the limit passed. */
    private long settle() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_LIMIT_MILLIS);
        long lowest = allocator.committedBytes();
        int steadyPolls = 0;
        while (steadyPolls < SETTLED_AFTER_STEADY_POLLS && System.nanoTime() < deadline) {
            sleep();
            long now = allocator.committedBytes();
            steadyPolls = now < lowest ? 0 : steadyPolls + 1;
            lowest = Math.min(lowest, now);
        }
        return lowest;
    }

    private static void sleep() {
        try {
            Thread.sleep(SETTLE_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the committed bytes to settle", e);
        }
    }
}
