package io.tinyalloc.bench.trace;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads a tinyalloc trace file, the binary format that {@code io.tinyalloc.TracingAllocator}
 * writes and {@code docs/trace-format.md} specifies, into a {@link Trace}. Addresses become
 * object ids through the same {@link TraceBuilder} as valgrind logs, so a log and its import
 * give the same trace.
 *
 * <p>The whole file is read into memory first: traces are tens of megabytes at most, and
 * decoding from an array is several times faster than from a stream.
 */
final class TraceFileReader {

    /** The file's first bytes, {@code 0x89} then {@code TATRACE}. */
    static final byte[] MAGIC = {(byte) 0x89, 'T', 'A', 'T', 'R', 'A', 'C', 'E'};
    static final int VERSION = 1;

    private static final int ALLOCATE = 0;
    private static final int ALLOCATE_ZEROED = 1;
    private static final int ALLOCATE_ALIGNED = 2;
    private static final int REALLOCATE = 3;
    private static final int FREE = 4;
    private static final int END = 7;
    private static final int KIND_MASK = 0b0111;
    private static final int THREAD_FOLLOWS = 0b1000;
    private static final int RESERVED_TAG_BITS = 0xf0;
    private static final int BYTE_MASK = 0xff;
    private static final int VARINT_PAYLOAD_BITS = 7;
    private static final int VARINT_PAYLOAD_MASK = 0x7f;
    private static final int VARINT_CONTINUES = 0x80;
    private static final int MAX_ALIGNMENT_SHIFT = Integer.SIZE - 2;
    /** The process id given to every call: a trace file has one address space. */
    private static final int PID = 0;
    private static final String MAGIC_TEXT = HexFormat.ofDelimiter(" ").formatHex(MAGIC);

    private final String source;
    private final byte[] bytes;
    private final TraceBuilder builder = new TraceBuilder();
    private int position;
    private int recordStart;
    private long records;
    private long previousAddress;

    private TraceFileReader(String source, byte[] bytes) {
        this.source = source;
        this.bytes = bytes;
    }

    /**
     * Tells whether the bytes start like a tinyalloc trace.
     *
     * @param head the first bytes of a file, as many as it has up to the magic's length
     * @return whether they are the magic
     */
    static boolean startsWithMagic(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Reads a whole trace.
     *
     * @param name the trace's name
     * @param source the file, for messages
     * @param in the trace's bytes, already decompressed
     * @return the trace
     * @throws IOException if the stream fails
     * @throws TraceFormatException if the bytes are not a complete trace of a known version
     */
    static Trace read(String name, String source, InputStream in) throws IOException {
        return new TraceFileReader(source, in.readAllBytes()).read(name);
    }

    private Trace read(String name) {
        readHeader();
        int thread = 0;
        while (true) {
            recordStart = position;
            int tag = unsignedByte("a record tag");
            if ((tag & RESERVED_TAG_BITS) != 0) {
                throw malformed("tag 0x" + Integer.toHexString(tag) + " (expected: bits 4 to 7 clear)");
            }
            int kind = tag & KIND_MASK;
            if (kind == END) {
                readEnd();
                return builder.build(name);
            }
            if ((tag & THREAD_FOLLOWS) != 0) {
                thread = checkedInt(unsigned("a thread index"), "thread index");
            }
            builder.thread(thread);
            try {
                readOperation(kind);
            } catch (IllegalArgumentException inconsistent) {
                throw malformed(inconsistent.getMessage());
            }
            records++;
        }
    }

    private void readHeader() {
        if (!startsWithMagic(bytes)) {
            byte[] head = Arrays.copyOf(bytes, Math.min(bytes.length, MAGIC.length));
            throw new TraceFormatException(source, "starts with "
                    + (head.length == 0 ? "nothing (an empty file)" : HexFormat.ofDelimiter(" ").formatHex(head))
                    + " (expected: the tinyalloc trace magic " + MAGIC_TEXT
                    + ", a file written by TracingAllocator or tinyalloc import-valgrind)");
        }
        position = MAGIC.length;
        long version = unsigned("the format version");
        if (version != VERSION) {
            throw new TraceFormatException(source, "format version " + version + " (expected: " + VERSION
                    + "; written by a newer tinyalloc?)");
        }
    }

    private void readOperation(int kind) {
        switch (kind) {
            case ALLOCATE -> builder.allocate(PID, TraceOp.ALLOCATE, unsigned("a byte size"), 0, address());
            case ALLOCATE_ZEROED -> builder.allocate(PID, TraceOp.ALLOCATE_ZEROED, unsigned("a byte size"), 0, address());
            case ALLOCATE_ALIGNED -> {
                long byteSize = unsigned("a byte size");
                long shift = unsigned("an alignment's power of two");
                if (shift > MAX_ALIGNMENT_SHIFT) {
                    throw malformed("alignment 2^" + shift + " (expected: at most 2^" + MAX_ALIGNMENT_SHIFT + ")");
                }
                builder.allocate(PID, TraceOp.ALLOCATE_ALIGNED, byteSize, 1L << shift, address());
            }
            case REALLOCATE -> {
                long oldAddress = address();
                long byteSize = unsigned("a byte size");
                builder.reallocate(PID, oldAddress, byteSize, address());
            }
            case FREE -> builder.free(PID, address());
            default -> throw malformed("record kind " + kind + " (expected: 0 to 4, or 7 for the end; a newer format?)");
        }
    }

    private void readEnd() {
        long counted = unsigned("the record count of the end record");
        if (counted != records) {
            throw malformed("end record counts " + counted + " records (expected: " + records + ", the records read)");
        }
        if (position != bytes.length) {
            throw malformed((bytes.length - position) + " bytes after the end record (expected: the end of the file)");
        }
    }

    private long address() {
        long zigzag = unsigned("an address");
        previousAddress += (zigzag >>> 1) ^ -(zigzag & 1);
        return previousAddress;
    }

    private long unsigned(String what) {
        long value = 0;
        for (int shift = 0; shift < Long.SIZE; shift += VARINT_PAYLOAD_BITS) {
            int b = unsignedByte(what);
            value |= (long) (b & VARINT_PAYLOAD_MASK) << shift;
            if ((b & VARINT_CONTINUES) == 0) {
                return value;
            }
        }
        throw malformed(what + " longer than 10 bytes (expected: a varint of at most 64 bits)");
    }

    private int unsignedByte(String what) {
        if (position == bytes.length) {
            throw new TraceFormatException(source, position == recordStart
                    ? "ends after " + records + " records at byte " + position
                            + " without an end record (expected: " + what + "; the recording was cut short"
                            + " or its allocator never closed)"
                    : "ends inside record " + (records + 1) + " at byte " + position + " (expected: " + what
                            + "; the file is truncated)");
        }
        return bytes[position++] & BYTE_MASK;
    }

    private int checkedInt(long value, String what) {
        if (value > Integer.MAX_VALUE) {
            throw malformed(what + " " + value + " (expected: at most " + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    private TraceFormatException malformed(String problem) {
        return new TraceFormatException(source, "record " + (records + 1) + " at byte " + recordStart + ": " + problem);
    }
}
