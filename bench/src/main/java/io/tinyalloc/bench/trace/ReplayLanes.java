package io.tinyalloc.bench.trace;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * The multi-thread half of {@link TraceReplay}: the operations of each recorded thread run on
 * a platform thread of their own (a lane), in their order, so that a block freed by another
 * thread than the one that allocated it is so in the replay too.
 *
 * <p>Lanes meet only where the trace makes them: an operation on an object waits until the
 * operation on that object before it is done, whichever lane ran it. Each object has a step
 * counter, the number of its operations done, published with a release store after the
 * operation and read with an acquire load before the next; the object's address and size,
 * written before the release, are then visible to the lane that reads them. There is no global
 * lock step: lanes run ahead of each other freely everywhere else.
 *
 * <p>This cannot deadlock. A lane waits only for an operation earlier in the trace than its
 * own, and every lane runs its operations in trace order; so a chain of waits goes back in
 * the trace and ends at an operation that waits for nothing. For the same reason several
 * recorded threads may share a lane: traces of more than {@link #MAX_LANES} threads (thousands
 * of virtual threads) run on that many lanes, thread {@code t} on lane {@code t % MAX_LANES}.
 *
 * <p>A replay runs in windows of consecutive operations (the {@code runCyclic} chunks): the
 * caller runs lane 0 and the other lanes run on their threads, and all meet at a barrier at
 * the start and the end of each window, where the caller can free what is left live.
 */
final class ReplayLanes {

    /** More lanes than this would be more threads than any machine it runs on has cores. */
    static final int MAX_LANES = 64;
    /** Busy-waits this many times for another lane before yielding the processor. */
    private static final int SPINS_BEFORE_YIELD = 64;

    /** Accesses the elements of {@link #stepsDone} with acquire and release semantics. */
    private static final VarHandle STEPS_DONE = MethodHandles.arrayElementVarHandle(int[].class);

    private final TraceReplay replay;
    private final String traceName;
    private final byte[] kinds;
    private final int[] objectIds;
    /** For each operation, the number of operations on its object before it in the trace. */
    private final int[] objectSteps;
    /** For each object, the number of its operations done in this pass; see the class comment. */
    private final int[] stepsDone;
    /** For each lane, its operations in trace order. */
    private final int[][] laneOps;
    /** For each lane, the next of its operations to run; touched only by the lane, and by the caller between windows. */
    private final int[] laneCursors;
    /** For each lane, the bytes its operations made live (or freed) in the last window. */
    private final long[] laneLiveBytes;

    private final CyclicBarrier start;
    private final CyclicBarrier end;
    private final List<Thread> workers = new ArrayList<>();

    /** The window of the current pass; written by the caller before the start barrier, read by the lanes after it. */
    private BenchAllocator allocator;
    private int windowEnd;
    private boolean stopping;
    /** Set by the first lane that fails; read by lanes that wait, so that they give up instead of waiting forever. */
    private volatile Throwable failure;

    ReplayLanes(TraceReplay replay, Trace trace) {
        this.replay = replay;
        this.traceName = trace.name();
        this.kinds = trace.kinds();
        this.objectIds = trace.objectIds();
        this.objectSteps = objectSteps(trace);
        this.stepsDone = new int[trace.objectCount()];
        this.laneOps = laneOps(trace, Math.min(trace.threadCount(), MAX_LANES));
        this.laneCursors = new int[laneOps.length];
        this.laneLiveBytes = new long[laneOps.length];
        this.start = new CyclicBarrier(laneOps.length);
        this.end = new CyclicBarrier(laneOps.length);
    }

    /** @return the number of lanes, and so of threads a window runs on */
    int laneCount() {
        return laneOps.length;
    }

    /**
     * Runs the operations {@code from} to {@code to} on every lane, lane 0 on the calling
     * thread, and returns when all are done.
     *
     * @return the change in live bytes
     * @throws IllegalStateException if an operation fails its check, or a lane fails
     */
    long run(BenchAllocator windowAllocator, int from, int to) {
        if (workers.isEmpty()) {
            startWorkers();
        }
        if (from == 0) {
            Arrays.fill(laneCursors, 0);
        }
        allocator = windowAllocator;
        windowEnd = to;
        await(start);
        runLane(0);
        await(end);
        Throwable failed = failure;
        if (failed != null) {
            failure = null;
            stop();
            throw failed instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("replay of " + traceName + " failed in a lane", failed);
        }
        long liveBytes = 0;
        for (int lane = 0; lane < laneLiveBytes.length; lane++) {
            liveBytes += laneLiveBytes[lane];
            laneLiveBytes[lane] = 0;
        }
        return liveBytes;
    }

    /** Forgets the steps of the pass: called between windows, when the trace starts again. */
    void restart() {
        Arrays.fill(stepsDone, 0);
        Arrays.fill(laneCursors, 0);
    }

    /** Stops the lanes' threads; a later {@link #run} starts them again. */
    void stop() {
        if (workers.isEmpty()) {
            return;
        }
        stopping = true;
        await(start);
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the replay of " + traceName, e);
            }
        }
        workers.clear();
        stopping = false;
    }

    private void startWorkers() {
        for (int lane = 1; lane < laneOps.length; lane++) {
            int own = lane;
            workers.add(Thread.ofPlatform().daemon().name("replay-" + traceName + "-lane-" + lane).start(() -> work(own)));
        }
    }

    private void work(int lane) {
        while (true) {
            await(start);
            if (stopping) {
                return;
            }
            runLane(lane);
            await(end);
        }
    }

    private void runLane(int lane) {
        int[] ops = laneOps[lane];
        int cursor = laneCursors[lane];
        long liveBytes = 0;
        try {
            while (cursor < ops.length && ops[cursor] < windowEnd) {
                liveBytes += runOp(ops[cursor]);
                cursor++;
            }
        } catch (Throwable e) {
            if (failure == null) {
                failure = e;
            }
        }
        laneCursors[lane] = cursor;
        laneLiveBytes[lane] = liveBytes;
    }

    /** Runs one operation once the operation before it on its object is done; returns the change in live bytes. */
    private long runOp(int op) {
        int id = objectIds[op];
        int step = objectSteps[op];
        awaitStep(op, id, step);
        long liveBytes = switch (kinds[op]) {
            case TraceOp.ALLOCATE, TraceOp.ALLOCATE_ZEROED, TraceOp.ALLOCATE_ALIGNED -> replay.allocateFor(allocator, op, id);
            case TraceOp.REALLOCATE -> replay.reallocateFor(allocator, op, id);
            case TraceOp.FREE -> replay.freeFor(allocator, op, id);
            default -> throw new IllegalStateException("operation " + op + " of " + traceName + " has kind "
                    + kinds[op] + " (expected: a TraceOp constant)");
        };
        // Publishes the object's address and size, written above, to the lane of its next operation.
        STEPS_DONE.setRelease(stepsDone, id, step + 1);
        return liveBytes;
    }

    private void awaitStep(int op, int id, int step) {
        int spins = 0;
        // Acquire: pairs with the release in runOp of the lane that did the step before.
        while ((int) STEPS_DONE.getAcquire(stepsDone, id) != step) {
            if (failure != null) {
                throw new IllegalStateException("operation " + op + " of " + traceName
                        + " abandoned: another lane failed");
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + traceName, e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a lane of the replay of " + traceName + " stopped", e);
        }
    }

    private static int[] objectSteps(Trace trace) {
        int[] stepsSoFar = new int[trace.objectCount()];
        int[] objectIds = trace.objectIds();
        int[] steps = new int[objectIds.length];
        for (int op = 0; op < objectIds.length; op++) {
            steps[op] = stepsSoFar[objectIds[op]]++;
        }
        return steps;
    }

    private static int[][] laneOps(Trace trace, int lanes) {
        int[] threadIndexes = trace.threadIndexes();
        int[] counts = new int[lanes];
        for (int thread : threadIndexes) {
            counts[thread % lanes]++;
        }
        int[][] ops = new int[lanes][];
        for (int lane = 0; lane < lanes; lane++) {
            ops[lane] = new int[counts[lane]];
        }
        int[] filled = new int[lanes];
        for (int op = 0; op < threadIndexes.length; op++) {
            int lane = threadIndexes[op] % lanes;
            ops[lane][filled[lane]++] = op;
        }
        return ops;
    }
}
