package io.tinyalloc.bench.trace;

import java.util.Objects;

/**
 * A recorded allocation trace as a compact list of operations that a replay runs without
 * allocating: parallel arrays indexed by operation number.
 *
 * <p>Objects are numbered from 0 in the order they were created, so that a replay keeps their
 * addresses in an array. An object created by {@link TraceOp#ALLOCATE},
 * {@link TraceOp#ALLOCATE_ZEROED} or {@link TraceOp#ALLOCATE_ALIGNED} lives until its
 * {@link TraceOp#FREE}, or until the end of the trace if the program never freed it;
 * {@link TraceOp#REALLOCATE} changes its size and keeps its id.
 *
 * <p>Each operation was made by a thread, numbered from 0 in the order threads first appear; a
 * replay runs the operations of each thread on a thread of its own (see {@link TraceReplay}).
 *
 * <p>The arrays are shared, not copied: callers must not change them.
 *
 * @param name the trace's name, for reports (the file name without {@code .vg.gz} or {@code .trace})
 * @param kinds the kind of each operation, a {@link TraceOp} constant
 * @param objectIds the object each operation works on
 * @param byteSizes the byte size asked for by each allocation or reallocation, 0 for a free
 * @param byteAlignments the alignment asked for by each {@link TraceOp#ALLOCATE_ALIGNED}, 0 otherwise
 * @param threadIndexes the thread that made each operation, from 0 to {@code threadCount() - 1}
 * @param stats what the reader counted
 */
public record Trace(String name, byte[] kinds, int[] objectIds, int[] byteSizes, int[] byteAlignments,
        int[] threadIndexes, TraceStats stats) {

    /** Checks that the arrays have one entry per operation. */
    public Trace {
        Objects.requireNonNull(name, "name");
        int ops = kinds.length;
        if (objectIds.length != ops || byteSizes.length != ops || byteAlignments.length != ops
                || threadIndexes.length != ops) {
            throw new IllegalArgumentException("operation arrays of different lengths: " + ops + ", "
                    + objectIds.length + ", " + byteSizes.length + ", " + byteAlignments.length + ", "
                    + threadIndexes.length + " (expected: the same length)");
        }
        Objects.requireNonNull(stats, "stats");
    }

    /**
     * A trace made by one thread.
     *
     * @param name the trace's name
     * @param kinds the kind of each operation
     * @param objectIds the object each operation works on
     * @param byteSizes the byte size of each operation
     * @param byteAlignments the alignment of each operation
     * @param stats what the reader counted
     */
    public Trace(String name, byte[] kinds, int[] objectIds, int[] byteSizes, int[] byteAlignments, TraceStats stats) {
        this(name, kinds, objectIds, byteSizes, byteAlignments, new int[kinds.length], stats);
    }

    /** @return the number of threads, the indexes being {@code 0 .. threadCount() - 1} */
    public int threadCount() {
        return stats.threads();
    }

    /** @return the number of operations */
    public int opCount() {
        return kinds.length;
    }

    /** @return the number of distinct objects, the ids being {@code 0 .. objectCount() - 1} */
    public int objectCount() {
        return stats.objects();
    }

    @Override
    public String toString() {
        return "Trace[" + name + ", " + stats + "]";
    }
}
