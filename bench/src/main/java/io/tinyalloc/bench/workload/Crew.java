package io.tinyalloc.bench.workload;

import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The platform threads of a threaded workload, one per {@link Lane}, started once and then
 * told what to do by the coordinating thread. Every step is two phases of one {@link Phaser}
 * (the lanes and the coordinator are its parties): at the first the lanes start, at the second
 * the coordinator learns that they all finished. The step's command is a plain field: the
 * coordinator writes it before arriving, and a phaser's arrival happens-before the actions
 * that follow the phase advance, where the lanes read it.
 */
final class Crew implements AutoCloseable {

    /** How often the coordinator calls its sampler while the lanes run, in milliseconds. */
    static final long SAMPLE_PERIOD_MILLIS = 1;

    private enum Command { FILL, ROUND, DRAIN, STOP }

    private final Phaser phaser;
    private final List<Thread> threads;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Command command;

    Crew(String name, List<Lane> lanes) {
        this.phaser = new Phaser(lanes.size() + 1);
        this.threads = lanes.stream().map(lane -> Thread.ofPlatform().daemon().name(name + "-lane-", 0).unstarted(() -> serve(lane)))
                .toList();
        threads.forEach(Thread::start);
    }

    void fill() {
        step(Command.FILL, null);
    }

    /**
     * Runs one round on every lane.
     *
     * @param whileRunning called on this thread every {@value #SAMPLE_PERIOD_MILLIS} ms until
     *        the lanes finish, or {@code null}
     */
    void round(Runnable whileRunning) {
        step(Command.ROUND, whileRunning);
    }

    /** Frees what the lanes hold and ends their threads. */
    @Override
    public void close() {
        try {
            step(Command.DRAIN, null);
        } finally {
            command = Command.STOP;
            phaser.arriveAndDeregister();
            threads.forEach(Crew::joinUninterruptibly);
        }
    }

    private void step(Command next, Runnable whileRunning) {
        command = next;
        phaser.arriveAndAwaitAdvance();
        if (whileRunning == null) {
            phaser.arriveAndAwaitAdvance();
        } else {
            awaitSampling(phaser.arrive(), whileRunning);
        }
        Throwable failed = failure.getAndSet(null);
        if (failed != null) {
            throw new IllegalStateException("a thread of the workload failed in " + next, failed);
        }
    }

    private void awaitSampling(int phase, Runnable whileRunning) {
        while (true) {
            try {
                phaser.awaitAdvanceInterruptibly(phase, SAMPLE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                whileRunning.run();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                phaser.awaitAdvance(phase);
                return;
            }
        }
    }

    private void serve(Lane lane) {
        while (true) {
            phaser.arriveAndAwaitAdvance();
            Command now = command;
            if (now == Command.STOP) {
                phaser.arriveAndDeregister();
                return;
            }
            try {
                switch (now) {
                    case FILL -> lane.fill();
                    case ROUND -> lane.round();
                    case DRAIN -> lane.drain();
                    case STOP -> throw new AssertionError(now);
                }
            } catch (Throwable failed) {   // reported by the coordinator; the lane keeps to the phases
                failure.compareAndSet(null, failed);
            }
            phaser.arriveAndAwaitAdvance();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
