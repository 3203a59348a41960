package io.tinyalloc.bench.trace;

import io.tinyalloc.Allocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that allocate, reallocate and free through one allocator, and hand blocks to each
 * other, so that some are freed (or reallocated) by another thread than the one that
 * allocated them. Everything is freed at the end. Prints its seed in {@link #toString()}.
 */
final class ThreadedRecording {

    static final int THREADS = 4;
    static final int CALLS_PER_THREAD = 4_000;
    private static final int MAX_BYTE_SIZE = 2_000;
    private static final int ACTIONS = 6;

    /** A block on its way to another thread, with the thread that last allocated or reallocated it. */
    private record Handed(long address, int owner) {
    }

    private final long seed;
    private final int[] calls = new int[THREADS];
    private final AtomicInteger crossThreadFrees = new AtomicInteger();
    private final ConcurrentLinkedQueue<Handed> handedOver = new ConcurrentLinkedQueue<>();
    private final CyclicBarrier phases = new CyclicBarrier(THREADS);

    private ThreadedRecording(long seed) {
        this.seed = seed;
    }

    static ThreadedRecording record(Allocator allocator, long seed) throws InterruptedException {
        ThreadedRecording recording = new ThreadedRecording(seed);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int number = t;
            threads.add(Thread.ofPlatform().name("recorded-" + t).start(() -> {
                try {
                    recording.run(allocator, number, new SplittableRandom(seed + number));
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("recording failed, " + recording, failures.getFirst());
        }
        return recording;
    }

    private void run(Allocator allocator, int number, SplittableRandom random) throws Exception {
        List<Handed> mine = new ArrayList<>();
        phases.await();
        while (calls[number] < CALLS_PER_THREAD) {
            switch (random.nextInt(ACTIONS)) {
                case 0, 1 -> {
                    mine.add(new Handed(allocator.allocate(random.nextInt(MAX_BYTE_SIZE)), number));
                    calls[number]++;
                }
                case 2 -> {
                    if (!mine.isEmpty()) {
                        long moved = allocator.reallocate(mine.removeLast().address(), random.nextInt(MAX_BYTE_SIZE));
                        mine.add(new Handed(moved, number));
                        calls[number]++;
                    }
                }
                case 3 -> {
                    if (!mine.isEmpty()) {
                        free(allocator, mine.remove(random.nextInt(mine.size())), number);
                    }
                }
                case 4 -> {
                    if (!mine.isEmpty()) {
                        handedOver.add(mine.removeLast());
                    }
                }
                default -> {
                    Handed theirs = handedOver.poll();
                    if (theirs != null) {
                        mine.add(theirs);
                    }
                }
            }
        }
        mine.forEach(handed -> free(allocator, handed, number));
        phases.await();   // nobody hands over any more: what is left goes to whoever takes it
        for (Handed handed = handedOver.poll(); handed != null; handed = handedOver.poll()) {
            free(allocator, handed, number);
        }
    }

    private void free(Allocator allocator, Handed handed, int number) {
        allocator.free(handed.address());
        calls[number]++;
        if (handed.owner() != number) {
            crossThreadFrees.incrementAndGet();
        }
    }

    /** @return the frees made by another thread than the one that last allocated or reallocated the block */
    int crossThreadFrees() {
        return crossThreadFrees.get();
    }

    /** @return the calls each thread made, sorted */
    int[] sortedCallCounts() {
        int[] sorted = calls.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Counts the frees of a trace made by another thread than the one that last allocated or
     * reallocated the object.
     *
     * @param trace a trace
     * @return the cross-thread frees
     */
    static int crossThreadFrees(Trace trace) {
        int[] owners = new int[trace.objectCount()];
        int crossThread = 0;
        for (int op = 0; op < trace.opCount(); op++) {
            int id = trace.objectIds()[op];
            int thread = trace.threadIndexes()[op];
            if (trace.kinds()[op] == TraceOp.FREE) {
                crossThread += owners[id] == thread ? 0 : 1;
            } else {
                owners[id] = thread;
            }
        }
        return crossThread;
    }

    @Override
    public String toString() {
        return "ThreadedRecording[seed " + seed + ", calls " + Arrays.toString(calls) + ", cross-thread frees "
                + crossThreadFrees + "]";
    }
}
