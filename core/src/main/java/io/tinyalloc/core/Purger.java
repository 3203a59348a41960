package io.tinyalloc.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The optional background purger: a daemon thread that runs the engine's maintenance, so that
 * memory is given back even when every thread has stopped allocating. It wakes at the tick
 * interval while there is something to purge, and rarely otherwise.
 */
final class Purger implements Runnable {

    /** How long the purger sleeps when nothing is waiting to be purged. */
    static final long IDLE_SLEEP_NANOS = 100_000_000L;

    private final EngineAllocator engine;
    private final Thread thread;
    private volatile boolean stopped;

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
            boolean pending = engine.maintain(System.nanoTime(), null);
            LockSupport.parkNanos(this, pending ? engine.tickIntervalNanos : IDLE_SLEEP_NANOS);
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
