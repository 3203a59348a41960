package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.Map;
import java.util.Objects;

/**
 * A multi-threaded workload: one of mimalloc-bench's patterns on a number of threads
 * ({@code larson-2t}), or virtual threads ({@code vthreads-2k}). Its threads are its own:
 * {@link #start} starts them and builds the live set, each {@link ThreadedRun#round()} runs
 * exactly {@value #OPS_PER_ROUND} allocations and frees spread over them, and
 * {@link ThreadedRun#close()} frees everything and ends them.
 *
 * <p>The random choices of each thread come from fixed seeds; how the threads interleave does
 * not, as in the originals.
 */
public final class ThreadedWorkload implements Workload {

    /**
     * Allocations and frees of one round, all threads together: enough that starting and
     * joining the threads of a round (tens of microseconds) is under one percent of it.
     */
    public static final int OPS_PER_ROUND = 1 << 17;

    /** The seed that every lane's random choices derive from, with the workload's name. */
    private static final long SEED = 0x7A11A70C_5EEDL;

    private final ThreadedPattern pattern;
    private final int threads;
    private final String name;

    ThreadedWorkload(ThreadedPattern pattern, int threads, String name) {
        this.pattern = pattern;
        this.threads = threads;
        this.name = name;
    }

    static ThreadedWorkload of(ThreadedPattern pattern, int threads) {
        return new ThreadedWorkload(pattern, threads, pattern.label() + "-" + threads + "t");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return pattern.description() + " (" + pattern.label() + ", " + pattern.threadsDescription(threads) + ")";
    }

    @Override
    public String jmhBenchmark() {
        return "io.tinyalloc.bench.ThreadedBenchmark.round";
    }

    @Override
    public Map<String, String> jmhParameters() {
        return Map.of("workload", name);
    }

    /** @return the thread count in the name (for xmalloc-test, of producers and of consumers) */
    public int threads() {
        return threads;
    }

    /** @return whether blocks are freed by other threads than the ones that allocated them */
    public boolean freesAcrossThreads() {
        return pattern.freesAcrossThreads(threads);
    }

    /**
     * Starts the workload's threads on an allocator and has them build their live set.
     *
     * @param allocator the allocator under test, which the run uses until it is closed
     * @return the run; the caller closes it, which frees every block it allocated
     * @throws AllocatorUnavailableException if the workload frees blocks in other threads and
     *         the allocator cannot
     */
    public ThreadedRun start(BenchAllocator allocator) throws AllocatorUnavailableException {
        if (freesAcrossThreads() && !allocator.freesFromAnyThread()) {
            throw new AllocatorUnavailableException(allocator.name() + " cannot run " + name
                    + ": the workload frees blocks in other threads than the ones that allocated them,"
                    + " and this allocator frees a block only in its allocating thread");
        }
        Crew crew = new Crew(name, pattern.lanes(allocator, threads, OPS_PER_ROUND, SEED ^ name.hashCode()));
        ThreadedRun run = new ThreadedRun(crew);
        try {
            crew.fill();
        } catch (RuntimeException failed) {
            run.close();
            throw failed;
        }
        return run;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ThreadedWorkload that && that.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
