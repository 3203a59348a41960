package io.tinyalloc.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a correct allocator must look like from outside: the live blocks, each with the size
 * asked, the usable size reported, and the serial of the pattern written into it. Blocks are
 * kept by address, to check that no two overlap, and in a list, to pick one at random in
 * constant time.
 */
final class BlockModel {

    /**
     * A live block.
     *
     * @param address where it starts
     * @param byteSize the size asked
     * @param usableByteSize what {@code usableSize} said, the extent of the block
     * @param serial the serial of its fill pattern
     * @param segment the segment it was handed out as, or null for a plain address
     */
    record Block(long address, long byteSize, long usableByteSize, long serial, MemorySegment segment) {

        long end() {
            return address + usableByteSize;
        }

        @Override
        public String toString() {
            return String.format("[0x%x, 0x%x) asked %d usable %d serial %d%s", address, end(), byteSize,
                    usableByteSize, serial, segment == null ? "" : " (segment)");
        }
    }

    private final TreeMap<Long, Block> byAddress = new TreeMap<>();
    private final List<Block> live = new ArrayList<>();
    private long usableBytes;

    /**
     * Adds a block the allocator just handed out.
     *
     * @throws AssertionError if it overlaps a live block
     */
    void add(Block block) {
        Map.Entry<Long, Block> below = byAddress.floorEntry(block.address());
        if (below != null && below.getValue().end() > block.address()) {
            throw new AssertionError("new block " + block + " overlaps live block " + below.getValue());
        }
        Map.Entry<Long, Block> above = byAddress.higherEntry(block.address());
        if (above != null && block.end() > above.getKey()) {
            throw new AssertionError("new block " + block + " overlaps live block " + above.getValue());
        }
        byAddress.put(block.address(), block);
        live.add(block);
        usableBytes += block.usableByteSize();
    }

    /** The live block that {@code pick} names, or null when none is live. */
    Block get(int pick) {
        return live.isEmpty() ? null : live.get(Math.floorMod(pick, live.size()));
    }

    /** Forgets the live block that {@code pick} names and returns it, or null when none is live. */
    Block remove(int pick) {
        if (live.isEmpty()) {
            return null;
        }
        int index = Math.floorMod(pick, live.size());
        Block block = live.get(index);
        Block last = live.removeLast();
        if (index < live.size()) {
            live.set(index, last);
        }
        byAddress.remove(block.address());
        usableBytes -= block.usableByteSize();
        return block;
    }

    int size() {
        return live.size();
    }

    /** The sum of the usable sizes of the live blocks: what {@code liveBytes} must say. */
    long usableBytes() {
        return usableBytes;
    }

    /** The live blocks whose usable size exceeds {@code byteSize}. */
    long countLargerThan(long byteSize) {
        return live.stream().filter(b -> b.usableByteSize() > byteSize).count();
    }

    List<Block> blocks() {
        return List.copyOf(live);
    }
}
