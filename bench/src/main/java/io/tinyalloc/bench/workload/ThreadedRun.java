package io.tinyalloc.bench.workload;

/**
 * A threaded workload running on an allocator: its threads are started and hold its live
 * set. Called from one thread, the one that started it.
 */
public final class ThreadedRun implements AutoCloseable {

    private final Crew crew;
    private boolean closed;

    ThreadedRun(Crew crew) {
        this.crew = crew;
    }

    /**
     * Runs one round: {@value ThreadedWorkload#OPS_PER_ROUND} allocations and frees over the
     * workload's threads, returning when they all finished.
     *
     * @throws IllegalStateException if a thread failed (a block check, an allocator error),
     *         with that failure as its cause
     */
    public void round() {
        crew.round(null);
    }

    /**
     * Runs one round, calling {@code sampler} on this thread about every millisecond while the
     * workload's threads run: to sample the memory where it peaks, outside measured code.
     *
     * @throws IllegalStateException if a thread failed, with that failure as its cause
     */
    public void round(Runnable sampler) {
        crew.round(sampler);
    }

    /** Frees every block the workload holds and ends its threads; does nothing the second time. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            crew.close();
        }
    }
}
