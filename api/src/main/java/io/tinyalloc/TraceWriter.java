package io.tinyalloc;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes the records of a tinyalloc trace file into a buffer, and writes the buffer out when
 * it is full. The format is specified in {@code docs/trace-format.md}; this class is its one
 * writer, and the constants below are its vocabulary.
 *
 * <p>Not thread-safe: {@link TracingAllocator} calls it under its lock, which also makes the
 * order of the records the order of the calls.
 */
final class TraceWriter {

    /** The first bytes of every trace file: a non-ASCII byte, so that text tools see binary, then {@code TATRACE}. */
    static final byte[] MAGIC = {(byte) 0x89, 'T', 'A', 'T', 'R', 'A', 'C', 'E'};
    /** The format version written after the magic. */
    static final int VERSION = 1;

    /** Record kinds, in the low bits of a record's tag. */
    static final int ALLOCATE = 0;
    static final int ALLOCATE_ZEROED = 1;
    static final int ALLOCATE_ALIGNED = 2;
    static final int REALLOCATE = 3;
    static final int FREE = 4;
    static final int END = 7;
    /** The bits of a tag that hold the kind. */
    static final int KIND_MASK = 0b0111;
    /** The bit of a tag that says a thread index follows; without it, the thread is the previous record's. */
    static final int THREAD_FOLLOWS = 0b1000;

    /** Big enough that writes are rare (one every few thousand records), small enough to stay in cache. */
    static final int BUFFER_BYTE_SIZE = 1 << 16;
    /** The longest varint: 64 bits in groups of 7. */
    private static final int MAX_VARINT_BYTE_SIZE = 10;
    /** The longest record: a reallocation, with its tag, thread, two addresses and a size. */
    static final int MAX_RECORD_BYTE_SIZE = 1 + 4 * MAX_VARINT_BYTE_SIZE;
    private static final int VARINT_PAYLOAD_BITS = 7;
    private static final int VARINT_PAYLOAD_MASK = 0x7f;
    private static final int VARINT_CONTINUES = 0x80;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTE_SIZE];
    private int position;
    /** The thread of the previous record: the first record names its thread unless it is 0. */
    private int previousThread;
    /** Addresses are written as the difference from the previous one, which is usually small. */
    private long previousAddress;
    private long records;

    /**
     * Starts a trace: writes the header into the buffer.
     *
     * @param out where full buffers go; closed by {@link #finish()}
     */
    TraceWriter(OutputStream out) {
        this.out = out;
        System.arraycopy(MAGIC, 0, buffer, 0, MAGIC.length);
        position = MAGIC.length;
        unsigned(VERSION);
    }

    void allocate(int kind, int thread, long byteSize, long address) throws IOException {
        start(kind, thread);
        unsigned(byteSize);
        address(address);
    }

    void allocateAligned(int thread, long byteSize, long byteAlignment, long address) throws IOException {
        start(ALLOCATE_ALIGNED, thread);
        unsigned(byteSize);
        unsigned(Long.numberOfTrailingZeros(byteAlignment));
        address(address);
    }

    void reallocate(int thread, long oldAddress, long byteSize, long newAddress) throws IOException {
        start(REALLOCATE, thread);
        address(oldAddress);
        unsigned(byteSize);
        address(newAddress);
    }

    void free(int thread, long address) throws IOException {
        start(FREE, thread);
        address(address);
    }

    /** @return the operation records written so far */
    long records() {
        return records;
    }

    /**
     * Writes the end record, which says the trace is complete, then everything buffered, and
     * closes the stream.
     *
     * @throws IOException if the stream fails; it is closed all the same
     */
    void finish() throws IOException {
        try (OutputStream closing = out) {
            makeRoom();
            buffer[position++] = END;
            unsigned(records);
            flush();
        }
    }

    /** Closes the stream without the end record, after a failure: the file then reads as cut short. */
    void abandon() {
        try {
            out.close();
        } catch (IOException alreadyFailed) {
            // the failure that led here is the one reported
        }
    }

    private void start(int kind, int thread) throws IOException {
        makeRoom();
        records++;
        if (thread == previousThread) {
            buffer[position++] = (byte) kind;
        } else {
            buffer[position++] = (byte) (kind | THREAD_FOLLOWS);
            unsigned(thread);
            previousThread = thread;
        }
    }

    private void makeRoom() throws IOException {
        if (position > BUFFER_BYTE_SIZE - MAX_RECORD_BYTE_SIZE) {
            flush();
        }
    }

    private void flush() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
    }

    /** Zigzag, so that a small step down is as short as a small step up. */
    private void address(long address) {
        long delta = address - previousAddress;
        previousAddress = address;
        unsigned((delta << 1) ^ (delta >> (Long.SIZE - 1)));
    }

    /** LEB128: seven bits a byte, least significant first, the top bit set on all bytes but the last. */
    private void unsigned(long value) {
        long rest = value;
        while ((rest & ~VARINT_PAYLOAD_MASK) != 0) {
            buffer[position++] = (byte) ((rest & VARINT_PAYLOAD_MASK) | VARINT_CONTINUES);
            rest >>>= VARINT_PAYLOAD_BITS;
        }
        buffer[position++] = (byte) rest;
    }
}
