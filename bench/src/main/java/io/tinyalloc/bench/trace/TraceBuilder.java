package io.tinyalloc.bench.trace;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns allocator calls, in the order a program made them, into a {@link Trace}: gives each
 * returned address an object id, retires it at its free, and counts what it skips. Calls are
 * made by the thread last set with {@link #thread(int)}, thread 0 until then.
 *
 * <p>Methods throw {@link IllegalArgumentException} for a call that contradicts the calls
 * before it; the reader adds the line.
 */
final class TraceBuilder implements AllocatorCalls {

    private static final int INITIAL_CAPACITY = 1 << 14;
    private static final int DEAD = -1;

    private byte[] kinds = new byte[INITIAL_CAPACITY];
    private int[] objectIds = new int[INITIAL_CAPACITY];
    private int[] byteSizes = new int[INITIAL_CAPACITY];
    private int[] byteAlignments = new int[INITIAL_CAPACITY];
    private int[] threadIndexes = new int[INITIAL_CAPACITY];
    private int ops;

    /** Thread indexes as recorded to thread indexes in the trace: numbered densely, in order of first call. */
    private final Map<Integer, Integer> threads = new HashMap<>();
    private int thread;

    /** The current byte size of each object, {@link #DEAD} once freed. */
    private int[] objectByteSizes = new int[INITIAL_CAPACITY];
    private int objects;

    /** Per process: live address to object id. */
    private final Map<Integer, Map<Long, Integer>> liveObjects = new HashMap<>();

    private long calls;
    private long liveBytes;
    private long peakLiveBytes;
    private long unknownFrees;
    private long failedAllocations;
    private long ignoredLines;

    /**
     * Sets the thread of the calls that follow.
     *
     * @param recordedIndex the thread's index in the log
     */
    void thread(int recordedIndex) {
        thread = threads.computeIfAbsent(recordedIndex, unused -> threads.size());
    }

    @Override
    public void ignoredLine() {
        ignoredLines++;
    }

    @Override
    public void allocate(int pid, byte kind, long byteSize, long byteAlignment, long address) {
        calls++;
        if (address == 0) {
            failedAllocations++;
            return;
        }
        int id = newObject(pid, address, checkedByteSize(byteSize));
        add(kind, id, objectByteSizes[id], checkedAlignment(byteAlignment));
    }

    @Override
    public void reallocate(int pid, long oldAddress, long byteSize, long newAddress) {
        calls++;
        if (newAddress == 0) {
            failedAllocations++;   // the old block stays as it was
            return;
        }
        Integer id = oldAddress == 0 ? null : live(pid).remove(oldAddress);
        if (id == null) {
            // Allocated before tracing started: its old contents are unknown, so it starts here.
            unknownFrees += oldAddress == 0 ? 0 : 1;
            int newId = newObject(pid, newAddress, checkedByteSize(byteSize));
            add(TraceOp.ALLOCATE, newId, objectByteSizes[newId], 0);
            return;
        }
        int newByteSize = checkedByteSize(byteSize);
        putLive(pid, newAddress, id);
        liveBytes += newByteSize - objectByteSizes[id];
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        objectByteSizes[id] = newByteSize;
        add(TraceOp.REALLOCATE, id, newByteSize, 0);
    }

    @Override
    public void free(int pid, long address) {
        if (address == 0) {
            return;   // free(NULL) does nothing, and is not counted as a call
        }
        calls++;
        Integer id = live(pid).remove(address);
        if (id == null) {
            unknownFrees++;
            return;
        }
        liveBytes -= objectByteSizes[id];
        objectByteSizes[id] = DEAD;
        add(TraceOp.FREE, id, 0, 0);
    }

    Trace build(String name) {
        int neverFreed = 0;
        for (int i = 0; i < objects; i++) {
            neverFreed += objectByteSizes[i] == DEAD ? 0 : 1;
        }
        TraceStats stats = new TraceStats(calls, ops, objects, peakLiveBytes, unknownFrees, failedAllocations,
                neverFreed, ignoredLines, Math.max(1, threads.size()));
        return new Trace(name, Arrays.copyOf(kinds, ops), Arrays.copyOf(objectIds, ops),
                Arrays.copyOf(byteSizes, ops), Arrays.copyOf(byteAlignments, ops), Arrays.copyOf(threadIndexes, ops), stats);
    }

    private int newObject(int pid, long address, int byteSize) {
        if (objects == objectByteSizes.length) {
            objectByteSizes = Arrays.copyOf(objectByteSizes, objects * 2);
        }
        int id = objects++;
        objectByteSizes[id] = byteSize;
        putLive(pid, address, id);
        liveBytes += byteSize;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        return id;
    }

    private void putLive(int pid, long address, int id) {
        Integer previous = live(pid).put(address, id);
        if (previous != null) {
            throw new IllegalArgumentException("address 0x" + Long.toHexString(address) + " returned again while object "
                    + previous + " still lives there (expected: a free of that address first)");
        }
    }

    private Map<Long, Integer> live(int pid) {
        return liveObjects.computeIfAbsent(pid, unused -> new HashMap<>());
    }

    private void add(byte kind, int objectId, int byteSize, int byteAlignment) {
        if (ops == kinds.length) {
            int capacity = ops * 2;
            kinds = Arrays.copyOf(kinds, capacity);
            objectIds = Arrays.copyOf(objectIds, capacity);
            byteSizes = Arrays.copyOf(byteSizes, capacity);
            byteAlignments = Arrays.copyOf(byteAlignments, capacity);
            threadIndexes = Arrays.copyOf(threadIndexes, capacity);
        }
        kinds[ops] = kind;
        objectIds[ops] = objectId;
        byteSizes[ops] = byteSize;
        byteAlignments[ops] = byteAlignment;
        threadIndexes[ops] = thread;
        ops++;
    }

    private static int checkedByteSize(long byteSize) {
        if (byteSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("byte size " + byteSize + " returned a block (expected: at most "
                    + Integer.MAX_VALUE + " bytes in a replayable trace)");
        }
        return (int) byteSize;
    }

    private static int checkedAlignment(long byteAlignment) {
        if (byteAlignment != 0 && (Long.bitCount(byteAlignment) != 1 || byteAlignment > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("alignment " + byteAlignment
                    + " (expected: a power of two of at most " + (Integer.MAX_VALUE / 2 + 1) + " bytes)");
        }
        return (int) byteAlignment;
    }
}
