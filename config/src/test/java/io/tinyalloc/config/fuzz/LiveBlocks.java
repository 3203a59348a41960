package io.tinyalloc.config.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model of an allocator: the blocks that are live, each with the size asked for, the
 * usable size reported, and a stamp of known bytes at both ends that must survive whatever
 * else happens. Checks that no two live blocks overlap over their usable sizes.
 */
final class LiveBlocks {

    /** How many bytes are stamped and checked at each end of a block. */
    static final int STAMPED_BYTES = 64;
    /** All of memory, to read and write blocks by address. */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Who frees a block: the sequence itself (by address or as a segment), or an arena when it closes. */
    enum Owner { CALLER, CALLER_SEGMENT, ARENA }

    /** A live block. */
    record Block(long address, long byteSize, long usableByteSize, int stamp, Owner owner) {
        long end() {
            return address + usableByteSize;
        }
    }

    private final TreeMap<Long, Block> byAddress = new TreeMap<>();
    /** Addresses freed and not handed out again since: candidates for a double free. */
    private final List<Long> freed = new ArrayList<>();
    private int nextStamp;

    /** Adds a block just returned, after checking that it overlaps no live block, and stamps it. */
    Block add(long address, long byteSize, long usableByteSize, Owner owner, String call) {
        if (address == 0) {
            fail(call + " returned 0");
        }
        Block block = new Block(address, byteSize, usableByteSize, nextStamp++, owner);
        Map.Entry<Long, Block> before = byAddress.floorEntry(address);
        Map.Entry<Long, Block> after = byAddress.ceilingEntry(address);
        if (before != null && before.getValue().end() > address || after != null && after.getKey() < block.end()
                || after != null && after.getKey() == address) {
            fail(call + " returned " + describe(block) + ", which overlaps "
                    + describe(before != null && before.getValue().end() > address ? before.getValue() : after.getValue()));
        }
        byAddress.put(address, block);
        freed.remove(Long.valueOf(address));
        stamp(block);
        return block;
    }

    /** Removes a block that is being freed, after checking its stamp. */
    Block remove(long address, String call) {
        Block block = byAddress.remove(address);
        checkStamp(block, call);
        freed.add(address);
        return block;
    }

    /** Removes a block that a reallocation moved (or kept), without reading it: it may be free already. */
    void removeMoved(long address) {
        byAddress.remove(address);
        freed.add(address);
    }

    /** Checks that the stamp of a block is intact. */
    void checkStamp(Block block, String call) {
        forEachStamped(block, offset -> {
            byte found = EVERYTHING.get(ValueLayout.JAVA_BYTE, block.address() + offset);
            if (found != stampByte(block.stamp(), offset)) {
                fail("after " + call + ", byte " + offset + " of " + describe(block) + " is " + found + ", expected "
                        + stampByte(block.stamp(), offset) + ": something wrote into a live block");
            }
        });
    }

    /** Checks that the bytes a reallocation keeps are those of the old block, offset for offset. */
    void checkKept(Block old, long newAddress, long newByteSize, String call) {
        forEachStamped(old, offset -> {
            if (offset < newByteSize) {
                assertEquals(stampByte(old.stamp(), offset), EVERYTHING.get(ValueLayout.JAVA_BYTE, newAddress + offset),
                        () -> call + " lost byte " + offset + " of " + describe(old));
            }
        });
    }

    /** Checks that the stamped positions of a block just allocated zeroed are zero. */
    static void checkZero(long address, long byteSize, String call) {
        forEachStamped(address, byteSize, offset -> assertEquals(0, EVERYTHING.get(ValueLayout.JAVA_BYTE, address + offset),
                () -> call + " returned 0x" + Long.toHexString(address) + " whose byte " + offset + " is not zero"));
    }

    void checkAllStamps(String when) {
        byAddress.values().forEach(block -> checkStamp(block, when));
    }

    /** Forgets every block of an owner, once something else has freed them (an arena, a close). */
    void forget(Owner owner) {
        byAddress.values().removeIf(block -> block.owner() == owner);
    }

    Block get(long address) {
        return byAddress.get(address);
    }

    /** @return the live blocks that the sequence may free itself, in address order */
    List<Block> freeable() {
        return byAddress.values().stream().filter(block -> block.owner() != Owner.ARENA).toList();
    }

    /** @return the live blocks of every owner, in address order */
    List<Block> all() {
        return List.copyOf(byAddress.values());
    }

    List<Long> freed() {
        return freed;
    }

    int size() {
        return byAddress.size();
    }

    /** @return whether {@code address} lies inside a live block, its start included */
    boolean isInsideLive(long address) {
        Map.Entry<Long, Block> floor = byAddress.floorEntry(address);
        return floor != null && address < Math.max(floor.getValue().end(), floor.getKey() + 1);
    }

    static String describe(Block block) {
        return "[0x" + Long.toHexString(block.address()) + ", +" + block.usableByteSize() + ") (asked " + block.byteSize()
                + ", " + block.owner() + ")";
    }

    private static void stamp(Block block) {
        forEachStamped(block, offset -> EVERYTHING.set(ValueLayout.JAVA_BYTE, block.address() + offset,
                stampByte(block.stamp(), offset)));
    }

    private static byte stampByte(int stamp, long offset) {
        // Odd multipliers, so that neighbouring stamps and offsets differ in every byte.
        return (byte) (stamp * 0x9E3779B1 + offset * 0x2F + 1);
    }

    private interface OffsetAction {
        void at(long offset);
    }

    private static void forEachStamped(Block block, OffsetAction action) {
        forEachStamped(block.address(), block.byteSize(), action);
    }

    /** The first and the last {@value #STAMPED_BYTES} bytes of the size asked for. */
    private static void forEachStamped(long address, long byteSize, OffsetAction action) {
        long head = Math.min(byteSize, STAMPED_BYTES);
        for (long offset = 0; offset < head; offset++) {
            action.at(offset);
        }
        for (long offset = Math.max(head, byteSize - STAMPED_BYTES); offset < byteSize; offset++) {
            action.at(offset);
        }
    }
}
