package io.tinyalloc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second reading of docs/trace-format.md, written from the document rather than from
 * {@link TraceWriter}, so that the writer is tested against the specification.
 */
final class TraceFileDecoder {

    /**
     * One record as written.
     *
     * @param kind the record kind, 0 to 4
     * @param thread the thread index
     * @param byteSize the size, 0 for a free
     * @param byteAlignment the alignment of an aligned allocation, else 0
     * @param address the block, the old block of a reallocation
     * @param newAddress the new block of a reallocation, else 0
     */
    record Rec(int kind, int thread, long byteSize, long byteAlignment, long address, long newAddress) {
    }

    private final byte[] bytes;
    private int position;
    private long previousAddress;

    private TraceFileDecoder(byte[] bytes) {
        this.bytes = bytes;
    }

    static List<Rec> decode(Path file) throws IOException {
        return new TraceFileDecoder(Files.readAllBytes(file)).records();
    }

    private List<Rec> records() {
        byte[] magic = {(byte) 0x89, 'T', 'A', 'T', 'R', 'A', 'C', 'E'};
        if (!Arrays.equals(Arrays.copyOf(bytes, magic.length), magic)) {
            throw new AssertionError("no magic");
        }
        position = magic.length;
        if (varint() != 1) {
            throw new AssertionError("version");
        }
        List<Rec> records = new ArrayList<>();
        int thread = 0;
        while (true) {
            int tag = bytes[position++] & 0xff;
            int kind = tag & 7;
            if (kind == 7) {
                if (varint() != records.size() || position != bytes.length) {
                    throw new AssertionError("bad end record");
                }
                return records;
            }
            if ((tag & 8) != 0) {
                thread = (int) varint();
            }
            records.add(switch (kind) {
                case 0, 1 -> {
                    long size = varint();
                    yield new Rec(kind, thread, size, 0, address(), 0);
                }
                case 2 -> {
                    long size = varint();
                    long alignment = 1L << varint();
                    yield new Rec(kind, thread, size, alignment, address(), 0);
                }
                case 3 -> {
                    long old = address();
                    long size = varint();
                    yield new Rec(kind, thread, size, 0, old, address());
                }
                case 4 -> new Rec(kind, thread, 0, 0, address(), 0);
                default -> throw new AssertionError("kind " + kind);
            });
        }
    }

    private long address() {
        long zigzag = varint();
        previousAddress += (zigzag >>> 1) ^ -(zigzag & 1);
        return previousAddress;
    }

    private long varint() {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = bytes[position++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
