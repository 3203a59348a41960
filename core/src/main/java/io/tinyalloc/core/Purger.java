package io.tinyalloc.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The optional background purger: a daemon thread that runs the engine's maintenance, so that
 * memory is given back even when every thread has stopped allocating. It wakes at the tick
 * interval while there is something to purge; otherwise it sleeps until memory is queued for a
 * purge ({@link #wakeIfIdle}), or {@link #IDLE_SLEEP_NANOS} at most.
 */
final class Purger implements Runnable {

    /** The longest the purger sleeps when nothing is waiting to be purged. */
    static final long IDLE_SLEEP_NANOS = 100_000_000L;

    private final EngineAllocator engine;
    private final Thread thread;
    private volatile boolean stopped;
    /**
     * Set before each maintenance pass and cleared when it found work: a thread that queues memory
     * for a purge while it is set unparks the purger. Set before the pass rather than after it,
     * so that work queued during the pass still unparks it: the permit then ends the next sleep
     * at once.
     */
    private volatile boolean idle;

    Purger(EngineAllocator engine, String name) {
        this.engine = engine;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (!stopped) {
            idle = true;
            boolean pending = engine.maintain(System.nanoTime(), null);
            if (pending) {
                idle = false;
                LockSupport.parkNanos(this, engine.tickIntervalNanos);
            } else {
                LockSupport.parkNanos(this, IDLE_SLEEP_NANOS);
            }
        }
    }

    /**
     * Called when memory was queued for a purge: ends the purger's idle sleep, so that the purge
     * delay is counted by the tick rather than by the idle sleep. One volatile read when the
     * purger is busy already.
     */
    void wakeIfIdle() {
        if (idle) {
            idle = false;
            LockSupport.unpark(thread);
        }
    }

    /** Stops the thread and waits for it, so that it never touches memory after close. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
