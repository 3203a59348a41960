package io.tinyalloc.bench.trace;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Runs a {@link Trace} against a {@link BenchAllocator}, allocating nothing on the Java heap
 * while it runs: object addresses and sizes live in arrays sized once for the trace.
 *
 * <p>Every operation touches the first and last byte of its block, so that the memory is
 * real. In {@link Check#CONTENTS} mode it writes a byte pattern of the object there at
 * allocation, and checks it before the block is reallocated or freed (and checks that zeroed
 * blocks are zero): a replay that finishes proves that no two live blocks overlapped at those
 * bytes and that reallocation kept them. {@link Check#TOUCH} only writes, for benchmarks.
 *
 * {@snippet lang = java :
 * Trace trace = ValgrindTraceReader.read(Path.of("traces/gcc.vg.gz"));
 * try (BenchAllocator allocator = BenchAllocators.open("baseline:glibc")) {
 *     TraceReplay.Result result = new TraceReplay(trace, TraceReplay.Check.CONTENTS).run(allocator);
 * }
 * }
 *
 * <p>A trace of one thread runs on the calling thread. A trace of several threads runs each
 * thread's operations on a platform thread of its own, in their order, the calling thread
 * running thread 0's: a block that the program freed on another thread than the one that
 * allocated it is freed so in the replay, after its allocation (see {@code ReplayLanes}). Its
 * {@link Result#peakLiveBytes()} is then the trace's, since the threads' interleaving differs
 * from run to run. The lanes' threads live from the first operation to {@link #finish}.
 *
 * <p>A replay is driven by one thread at a time and is not thread-safe.
 */
public final class TraceReplay {

    /** How much a replay checks. */
    public enum Check {
        /** Write a per-object pattern at the first and last byte, verify it before realloc and free. */
        CONTENTS,
        /** Write the first and last byte, verify nothing: the cheapest real use of the memory. */
        TOUCH
    }

    /**
     * What a full replay did.
     *
     * @param ops operations run
     * @param peakLiveBytes the most bytes live at once, in the sizes the trace asked for
     * @param freedAtEnd objects the program never freed, freed by the replay at its end
     */
    public record Result(long ops, long peakLiveBytes, int freedAtEnd) {
    }

    /** Reads and writes any native address: the blocks come from allocators outside the JVM. */
    @SuppressWarnings("restricted")   // the JVM runs with --enable-native-access
    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** Spreads object ids over byte values, so neighbouring objects get different patterns. */
    private static final int PATTERN_MULTIPLIER = 0x9E3779B1;
    private static final int PATTERN_SHIFT = 24;
    /** {@link BenchAllocator#reallocate} takes more than 0 bytes. */
    private static final int MIN_REALLOCATE_BYTE_SIZE = 1;

    private final Trace trace;
    private final Check check;
    private final byte[] kinds;
    private final int[] objectIds;
    private final int[] byteSizes;
    private final int[] byteAlignments;
    /** The address of each live object, 0 when it is not live. */
    private final long[] addresses;
    /** The current byte size of each live object. */
    private final int[] liveByteSizes;
    /** The threads of a multi-thread trace; null for a single-thread one, which runs on the caller. */
    private final ReplayLanes lanes;

    private int cursor;
    private long liveBytes;
    private long peakLiveBytes;

    /**
     * Prepares a replay.
     *
     * @param trace the operations to run
     * @param check what to check while running them
     */
    public TraceReplay(Trace trace, Check check) {
        this.trace = trace;
        this.check = check;
        this.kinds = trace.kinds();
        this.objectIds = trace.objectIds();
        this.byteSizes = trace.byteSizes();
        this.byteAlignments = trace.byteAlignments();
        this.addresses = new long[trace.objectCount()];
        this.liveByteSizes = new int[trace.objectCount()];
        this.lanes = trace.threadCount() > 1 ? new ReplayLanes(this, trace) : null;
    }

    /** @return the trace this replay runs */
    public Trace trace() {
        return trace;
    }

    /**
     * Runs the whole trace from its start, then frees the objects the program never freed.
     *
     * @param allocator the allocator to run it against
     * @return what the replay did
     * @throws IllegalStateException if a check fails, or objects are left live
     */
    public Result run(BenchAllocator allocator) {
        if (cursor != 0) {
            throw new IllegalStateException("replay of " + trace.name() + " stopped at operation " + cursor
                    + " (expected: a replay at the start; call finish() after runCyclic)");
        }
        peakLiveBytes = 0;
        runRange(allocator, 0, kinds.length);
        long peak = lanes == null ? peakLiveBytes : trace.stats().peakLiveBytes();
        int freedAtEnd = finish(allocator);
        return new Result(kinds.length, peak, freedAtEnd);
    }

    /**
     * Runs the next {@code opCount} operations, going back to the start of the trace (after
     * freeing what is left live) each time it reaches the end: the benchmark form, a fixed
     * number of operations per call.
     *
     * @param allocator the allocator to run them against
     * @param opCount how many operations to run
     */
    public void runCyclic(BenchAllocator allocator, int opCount) {
        int remaining = opCount;
        while (remaining > 0) {
            int end = Math.min(kinds.length, cursor + remaining);
            remaining -= end - cursor;
            runRange(allocator, cursor, end);
            cursor = end;
            if (cursor == kinds.length) {
                freeLive(allocator);
                cursor = 0;
            }
        }
    }

    /**
     * Frees every object still live and goes back to the start of the trace.
     *
     * @param allocator the allocator the objects came from
     * @return the number of objects freed
     */
    public int finish(BenchAllocator allocator) {
        if (lanes != null) {
            lanes.stop();
        }
        int freed = freeLive(allocator);
        cursor = 0;
        for (long address : addresses) {
            if (address != 0) {
                throw new IllegalStateException("replay of " + trace.name() + " left objects live after finishing");
            }
        }
        return freed;
    }

    /** @return the bytes live now, in the sizes the trace asked for */
    public long liveBytes() {
        return liveBytes;
    }

    /** @return the number of threads the trace runs on: its own, or {@link ReplayLanes#MAX_LANES} */
    public int threadCount() {
        return lanes == null ? 1 : lanes.laneCount();
    }

    private void runRange(BenchAllocator allocator, int from, int to) {
        if (lanes == null) {
            runOps(allocator, from, to);
        } else {
            liveBytes += lanes.run(allocator, from, to);
        }
    }

    private void runOps(BenchAllocator allocator, int from, int to) {
        for (int op = from; op < to; op++) {
            int id = objectIds[op];
            switch (kinds[op]) {
                case TraceOp.ALLOCATE, TraceOp.ALLOCATE_ZEROED, TraceOp.ALLOCATE_ALIGNED -> grew(allocateFor(allocator, op, id));
                case TraceOp.REALLOCATE -> grew(reallocateFor(allocator, op, id));
                case TraceOp.FREE -> liveBytes += freeFor(allocator, op, id);
                default -> throw new IllegalStateException("operation " + op + " of " + trace.name()
                        + " has kind " + kinds[op] + " (expected: a TraceOp constant)");
            }
        }
    }

    private void grew(long byteSize) {
        liveBytes += byteSize;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
    }

    /*
     * One operation on one object, on whichever thread runs it; each returns the change in live
     * bytes. They touch only the object's own entries, so lanes may run them on different
     * objects at once (ReplayLanes orders the operations on one object).
     */

    /** Runs an allocation operation of any kind. */
    long allocateFor(BenchAllocator allocator, int op, int id) {
        int byteSize = byteSizes[op];
        return switch (kinds[op]) {
            case TraceOp.ALLOCATE_ZEROED -> born(id, allocator.allocateZeroed(byteSize), byteSize, true);
            case TraceOp.ALLOCATE_ALIGNED -> born(id, alignedAllocate(allocator, op), byteSize, false);
            default -> born(id, allocator.allocate(byteSize), byteSize, false);
        };
    }

    private long alignedAllocate(BenchAllocator allocator, int op) {
        long address = allocator.allocate(byteSizes[op], byteAlignments[op]);
        if (check == Check.CONTENTS && (address & (byteAlignments[op] - 1)) != 0) {
            throw new IllegalStateException(allocator.name() + " returned 0x" + Long.toHexString(address) + " for operation "
                    + op + " of " + trace.name() + " (expected: a multiple of " + byteAlignments[op] + ")");
        }
        return address;
    }

    private int born(int id, long address, int byteSize, boolean zeroed) {
        if (check == Check.CONTENTS && zeroed && byteSize > 0
                && (byteAt(address, 0) != 0 || byteAt(address, byteSize - 1) != 0)) {
            throw new IllegalStateException("object " + id + " of " + trace.name() + " at 0x" + Long.toHexString(address)
                    + " is not zeroed (expected: zeroes from allocateZeroed)");
        }
        addresses[id] = address;
        liveByteSizes[id] = byteSize;
        writePattern(id, address, byteSize);
        return byteSize;
    }

    /** Runs a reallocation. */
    long reallocateFor(BenchAllocator allocator, int op, int id) {
        int oldByteSize = liveByteSizes[id];
        int newByteSize = byteSizes[op];
        verifyPattern(op, id, oldByteSize);
        // A recorded tinyalloc reallocation to 0 bytes keeps a block; C allocators would free it, so 1 byte is asked.
        long address = allocator.reallocate(addresses[id], Math.max(MIN_REALLOCATE_BYTE_SIZE, newByteSize));
        addresses[id] = address;
        liveByteSizes[id] = newByteSize;
        // The first byte moves with the block, and so does the old last byte if the block grew.
        verifyPattern(op, id, newByteSize >= oldByteSize ? oldByteSize : Math.min(1, newByteSize));
        writePattern(id, address, newByteSize);
        return newByteSize - oldByteSize;
    }

    /** Runs a free. */
    long freeFor(BenchAllocator allocator, int op, int id) {
        verifyPattern(op, id, liveByteSizes[id]);
        allocator.free(addresses[id]);
        addresses[id] = 0;
        return -liveByteSizes[id];
    }

    private int freeLive(BenchAllocator allocator) {
        if (lanes != null) {
            lanes.restart();
        }
        int freed = 0;
        for (int id = 0; id < addresses.length; id++) {
            if (addresses[id] != 0) {
                allocator.free(addresses[id]);
                liveBytes -= liveByteSizes[id];
                addresses[id] = 0;
                freed++;
            }
        }
        return freed;
    }

    /** Writes the object's pattern at the first and the last byte of the block. */
    private void writePattern(int id, long address, int byteSize) {
        if (byteSize == 0) {
            return;
        }
        byte pattern = pattern(id);
        EVERYWHERE.set(ValueLayout.JAVA_BYTE, address, pattern);
        EVERYWHERE.set(ValueLayout.JAVA_BYTE, address + byteSize - 1, pattern);
    }

    /** Checks the pattern at the first and the last byte of the block's first {@code byteSize}. */
    private void verifyPattern(int op, int id, int byteSize) {
        if (check != Check.CONTENTS || byteSize == 0) {
            return;
        }
        long address = addresses[id];
        byte expected = pattern(id);
        if (byteAt(address, 0) != expected || byteAt(address, byteSize - 1) != expected) {
            throw new IllegalStateException("object " + id + " of " + trace.name() + " at 0x" + Long.toHexString(address)
                    + " was overwritten before operation " + op + " (" + TraceOp.name(kinds[op]) + "): bytes "
                    + byteAt(address, 0) + " and " + byteAt(address, byteSize - 1) + " (expected: " + expected + ")");
        }
    }

    /** Never 0, so that a block that lost its contents to fresh zero pages is caught too. */
    private static byte pattern(int id) {
        return (byte) ((((id + 1) * PATTERN_MULTIPLIER) >>> PATTERN_SHIFT) | 1);
    }

    private static byte byteAt(long address, long offset) {
        return EVERYWHERE.get(ValueLayout.JAVA_BYTE, address + offset);
    }

    @Override
    public String toString() {
        return "TraceReplay[" + trace.name() + ", " + check + ", at operation " + cursor + " of " + kinds.length + "]";
    }
}
