package io.tinyalloc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An allocator that records every allocation, reallocation and free it passes on to another
 * allocator, with its size, alignment and thread, in a trace file: production-like traffic,
 * recorded once, that the {@code tinyalloc replay} tool runs again against any strategy
 * combination.
 *
 * <p>The file is in tinyalloc's own compact binary format, specified in
 * {@code docs/trace-format.md}: a header, one record per call, and an end record written by
 * {@link #close()}. A file whose allocator was never closed has no end record and is refused
 * as cut short.
 *
 * {@snippet lang = java :
 * try (Allocator allocator = TracingAllocator.wrap(TinyAlloc.create(), Path.of("app.trace"))) {
 *     long address = allocator.allocate(64);        // recorded: allocate 64 bytes, its address, this thread
 *     address = allocator.reallocate(address, 128); // recorded: reallocate to 128 bytes
 *     allocator.free(address);                      // recorded: free
 * }                                                  // the end record is written, the file closed
 * }
 *
 * <p>Tracing can also be turned on without code, in {@code tinyalloc.conf}:
 * {@code trace.file = "app.trace"}.
 *
 * <p>What is recorded: {@link #allocate(long)}, {@link #allocateZeroed(long)},
 * {@link #allocate(long, long)} and {@link #allocateSegment(long, long)} (both as aligned
 * allocations), {@link #reallocate(long, long)}, {@link #free(long)} and
 * {@link #free(MemorySegment)} of anything but 0. Calls that throw are not recorded. Each
 * thread is recorded as a small index, given in the order threads first call this allocator;
 * the segments of {@linkplain #ofConfined() arenas} are recorded as the aligned allocations
 * and frees they are made of.
 *
 * <p>The order of the records is an order the calls could have happened in, even when threads
 * race: a block is never recorded as allocated before the free that gave its address back is
 * recorded (see the comment at {@link #reallocate(long, long)} for why).
 *
 * <p>Cost: each recorded call takes one uncontended lock and encodes a record of 3 to 8 bytes
 * (varints, addresses as differences) into a 64 KiB buffer, about 15 to 30 ns on top of the
 * call, and one {@code write} system call every few thousand records; nothing is allocated on
 * the Java heap after a thread's first call. The lock is shared: threads that allocate at the
 * same moment wait for each other for those few nanoseconds, and a reallocation holds it while
 * the wrapped allocator reallocates. A trace takes 2 to 4 bytes per call on disk.
 *
 * <p>If the file cannot be written (disk full), recording stops, the allocator goes on
 * working, and {@link #close()} reports the failure.
 */
public final class TracingAllocator implements Allocator {

    private final Allocator allocator;
    private final Path traceFile;
    /** Guards the writer, and with it the order of the records; see {@link #reallocate(long, long)}. */
    private final Object lock = new Object();
    private final TraceWriter writer;
    private final AtomicInteger threadCount = new AtomicInteger();
    /** A thread's index is boxed once, on its first call; later calls unbox the cached Integer. */
    private final ThreadLocal<Integer> threadIndex = ThreadLocal.withInitial(threadCount::getAndIncrement);

    /** Set under {@link #lock}. */
    private boolean closed;
    /** The first write failure, after which nothing more is recorded; set under {@link #lock}. */
    private IOException failure;

    private TracingAllocator(Allocator allocator, Path traceFile, OutputStream out) {
        this.allocator = allocator;
        this.traceFile = traceFile;
        this.writer = new TraceWriter(out);
    }

    /**
     * Returns an allocator that records every call it passes on to {@code allocator} in
     * {@code traceFile}. The file is created, or emptied if it exists; closing the returned
     * allocator closes {@code allocator} too.
     *
     * {@snippet lang = java :
     * Allocator allocator = TracingAllocator.wrap(TinyAlloc.create(), Path.of("/tmp/service.trace"));
     * }
     *
     * @param allocator the allocator that does the work
     * @param traceFile the file to write the trace to
     * @return the recording allocator
     * @throws IOException if the file cannot be created or opened for writing
     * @throws NullPointerException if an argument is null
     */
    public static TracingAllocator wrap(Allocator allocator, Path traceFile) throws IOException {
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(traceFile, "traceFile");
        OutputStream out = Files.newOutputStream(traceFile, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return new TracingAllocator(allocator, traceFile, out);
    }

    /** @return the file this allocator writes to */
    public Path traceFile() {
        return traceFile;
    }

    /**
     * {@inheritDoc} Recorded after the wrapped allocator returns.
     *
     * @throws IllegalArgumentException {@inheritDoc}
     * @throws AllocationFailedException {@inheritDoc}
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public long allocate(long byteSize) {
        long address = allocator.allocate(byteSize);
        recordAllocation(TraceWriter.ALLOCATE, byteSize, address);
        return address;
    }

    /**
     * {@inheritDoc} Recorded after the wrapped allocator returns.
     *
     * @throws IllegalArgumentException {@inheritDoc}
     * @throws AllocationFailedException {@inheritDoc}
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public long allocate(long byteSize, long byteAlignment) {
        checkAlignment(byteAlignment);
        long address = allocator.allocate(byteSize, byteAlignment);
        recordAlignedAllocation(byteSize, byteAlignment, address);
        return address;
    }

    /**
     * {@inheritDoc} Recorded after the wrapped allocator returns.
     *
     * @throws IllegalArgumentException {@inheritDoc}
     * @throws AllocationFailedException {@inheritDoc}
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public long allocateZeroed(long byteSize) {
        long address = allocator.allocateZeroed(byteSize);
        recordAllocation(TraceWriter.ALLOCATE_ZEROED, byteSize, address);
        return address;
    }

    /**
     * {@inheritDoc} Recorded under the lock that orders the records, held across the call.
     *
     * @throws IllegalArgumentException {@inheritDoc}
     * @throws AllocationFailedException {@inheritDoc}
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public long reallocate(long address, long byteSize) {
        int thread = threadIndex.get();
        // A reallocation may free the old block and take a block another thread freed, so it
        // cannot be recorded before the call (the new address is not known yet) nor after it
        // without the lock: between the call and the record, another thread could be given the
        // old address and record its allocation first, and the trace would show the old
        // address allocated twice. Holding the lock across the call and the record makes the
        // two one step in the trace's order:
        // - an allocation elsewhere that returns the old address returns after the wrapped
        //   allocator freed it, inside this call, and takes the lock to record it after this
        //   record;
        // - a free elsewhere of the block whose address this call returns was recorded before
        //   it was freed (see free), so before this call could reuse the address, so before
        //   this record.
        synchronized (lock) {
            long moved = allocator.reallocate(address, byteSize);
            if (isRecording()) {
                try {
                    writer.reallocate(thread, address, byteSize, moved);
                } catch (IOException e) {
                    stopRecording(e);
                }
            }
            return moved;
        }
    }

    /**
     * {@inheritDoc} Recorded before the wrapped allocator frees the block, so that a thread
     * given the same address next is recorded after this free.
     *
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public void free(long address) {
        if (address != 0) {
            recordFree(address);
        }
        allocator.free(address);
    }

    /**
     * {@inheritDoc} Not recorded.
     *
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public long usableSize(long address) {
        return allocator.usableSize(address);
    }

    /**
     * {@inheritDoc} Recorded as an aligned allocation, after the wrapped allocator returns.
     *
     * @throws IllegalArgumentException {@inheritDoc}
     * @throws AllocationFailedException {@inheritDoc}
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public MemorySegment allocateSegment(long byteSize, long byteAlignment) {
        checkAlignment(byteAlignment);
        MemorySegment segment = allocator.allocateSegment(byteSize, byteAlignment);
        recordAlignedAllocation(byteSize, byteAlignment, segment.address());
        return segment;
    }

    /**
     * {@inheritDoc} Recorded as a free of its address, before the wrapped allocator frees it.
     *
     * @throws IllegalArgumentException {@inheritDoc}
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public void free(MemorySegment segment) {
        if (segment.isNative() && segment.address() != 0) {
            recordFree(segment.address());
        }
        allocator.free(segment);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException {@inheritDoc}
     */
    @Override
    public AllocatorStats stats() {
        return allocator.stats();
    }

    @Override
    public LeakReport leaks() {
        return allocator.leaks();
    }

    /** @return the wrapped allocator's description, and the trace file */
    @Override
    public String describe() {
        return allocator.describe() + ", traced to " + traceFile;
    }

    /**
     * Writes the end record, closes the trace file, then closes the wrapped allocator. Closing
     * again does nothing.
     *
     * @implSpec Callers must make sure that no other thread uses the allocator or its memory
     * during or after {@code close()}.
     * @throws UncheckedIOException if the trace could not be written, now or earlier; the
     *         wrapped allocator is closed all the same, and the file lacks its end record
     */
    @Override
    public void close() {
        IOException failed;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (failure == null) {
                    writer.finish();
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                allocator.close();
            }
            failed = failure;
        }
        if (failed != null) {
            throw new UncheckedIOException("cannot write the allocation trace " + traceFile
                    + " (the trace is incomplete: it has no end record)", failed);
        }
    }

    @Override
    public String toString() {
        return "TracingAllocator[" + traceFile + ", " + allocator + "]";
    }

    private void recordAllocation(int kind, long byteSize, long address) {
        int thread = threadIndex.get();
        synchronized (lock) {
            if (isRecording()) {
                try {
                    writer.allocate(kind, thread, byteSize, address);
                } catch (IOException e) {
                    stopRecording(e);
                }
            }
        }
    }

    private void recordAlignedAllocation(long byteSize, long byteAlignment, long address) {
        int thread = threadIndex.get();
        synchronized (lock) {
            if (isRecording()) {
                try {
                    writer.allocateAligned(thread, byteSize, byteAlignment, address);
                } catch (IOException e) {
                    stopRecording(e);
                }
            }
        }
    }

    private void recordFree(long address) {
        int thread = threadIndex.get();
        synchronized (lock) {
            if (closed) {
                // The wrapped allocator is closed too: it would throw, but only after this record.
                throw new IllegalStateException("Already closed");
            }
            if (failure == null) {
                try {
                    writer.free(thread, address);
                } catch (IOException e) {
                    stopRecording(e);
                }
            }
        }
    }

    /** Called under {@link #lock}. After close the wrapped allocator has thrown already, except in a race the implSpec forbids. */
    private boolean isRecording() {
        return !closed && failure == null;
    }

    /** Called under {@link #lock}. */
    private void stopRecording(IOException e) {
        failure = e;
        writer.abandon();
    }

    /** The format stores an alignment as its power of two; the contract of {@link Allocator} asks for one anyway. */
    private static void checkAlignment(long byteAlignment) {
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byteAlignment: " + byteAlignment + " (expected: a power of two)");
        }
    }
}
