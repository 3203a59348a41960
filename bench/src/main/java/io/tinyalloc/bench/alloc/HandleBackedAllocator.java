package io.tinyalloc.bench.alloc;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A baseline whose memory belongs to a Java object (an arena, a {@code ByteBuffer}, a Netty
 * {@code ByteBuf}) rather than to an address: a map from each block's address to its object
 * gives the {@code malloc}-style calls. That map is part of what such a baseline measures,
 * as it is part of what an application that frees by address must keep: about one
 * {@link ConcurrentHashMap} insertion per allocation and one removal per free, and a boxed
 * {@code Long} key each.
 *
 * <p>What the object-backed APIs lack is emulated here, the same way for every subclass:
 * <ul>
 * <li>alignment: when the object's address is not aligned, the block is allocated again
 *     {@code byteAlignment - 1} bytes larger and its address rounded up;</li>
 * <li>{@code reallocate}: a new block, a copy of the smaller size, then the old block freed;</li>
 * <li>{@code allocateZeroed}: cleared after allocating, unless the object comes zeroed
 *     ({@link #zeroesOnAllocate()});</li>
 * <li>size 0: one byte, so that every live block has its own address.</li>
 * </ul>
 *
 * @param <H> the object that owns a block's memory
 */
abstract sealed class HandleBackedAllocator<H> implements BenchAllocator
        permits ArenaAllocator, DirectBufferAllocator, NettyAllocator {

    /** The smallest block: a zero-byte block still needs an address of its own. */
    private static final long MIN_BYTE_SIZE = 1;
    /** Asked of the object-backed APIs when the caller wants no particular alignment. */
    private static final long ANY_ALIGNMENT = 1;

    /** A live block: its owner and the bytes usable from its (aligned) address. */
    private record Block<H>(H owner, long byteSize) {
    }

    /** A new block: its owner and the address where its memory starts. */
    record Owned<H>(H owner, long address) {
    }

    private final String name;
    private final ConcurrentHashMap<Long, Block<H>> liveBlocks = new ConcurrentHashMap<>();

    HandleBackedAllocator(String name) {
        this.name = name;
    }

    /**
     * Gets memory from the object-backed API.
     *
     * @param byteSize 1 or more
     * @param byteAlignment a power of two that the API may honour; if it does not, the caller pads
     */
    abstract Owned<H> open(long byteSize, long byteAlignment);

    /** Gives the memory back to the object-backed API (or drops the last reference to it). */
    abstract void release(H owner);

    /** @return {@code true} if {@link #open} always returns zeroed memory */
    abstract boolean zeroesOnAllocate();

    @Override
    public final long allocate(long byteSize) {
        return allocate(byteSize, ANY_ALIGNMENT);
    }

    @Override
    public final long allocateZeroed(long byteSize) {
        long address = allocate(byteSize);
        if (!zeroesOnAllocate()) {
            RawMemory.clear(address, byteSize);
        }
        return address;
    }

    @Override
    public final long allocate(long byteSize, long byteAlignment) {
        RawMemory.checkedAlignment(byteAlignment);
        long usableBytes = Math.max(MIN_BYTE_SIZE, byteSize);
        Owned<H> owned = open(usableBytes, byteAlignment);
        long address = owned.address();
        if ((address & (byteAlignment - 1)) != 0) {
            release(owned.owner());
            owned = open(usableBytes + byteAlignment - 1, byteAlignment);
            address = RawMemory.alignUp(owned.address(), byteAlignment);
        }
        liveBlocks.put(address, new Block<>(owned.owner(), usableBytes));
        return address;
    }

    @Override
    public final long reallocate(long address, long byteSize) {
        Block<H> old = liveBlock(address, "reallocate");
        long moved = allocate(byteSize);
        RawMemory.copy(address, moved, Math.min(old.byteSize(), byteSize));
        try {
            free(address);
        } catch (RuntimeException cannotFree) {
            free(moved);   // the old block stays live, as realloc leaves it when it fails
            throw cannotFree;
        }
        return moved;
    }

    @Override
    public final void free(long address) {
        Block<H> block = liveBlocks.remove(address);
        if (block == null) {
            throw notLive(address, "free");
        }
        try {
            release(block.owner());
        } catch (RuntimeException cannotRelease) {
            liveBlocks.put(address, block);   // still live: the caller may free it where it can
            throw cannotRelease;
        }
    }

    private Block<H> liveBlock(long address, String operation) {
        Block<H> block = liveBlocks.get(address);
        if (block == null) {
            throw notLive(address, operation);
        }
        return block;
    }

    private IllegalArgumentException notLive(long address, String operation) {
        return new IllegalArgumentException(name + " " + operation + ": 0x" + Long.toHexString(address)
                + " (expected: a live block of this allocator)");
    }

    /** @return how many blocks are live now */
    final int liveBlockCount() {
        return liveBlocks.size();
    }

    @Override
    public final String name() {
        return name;
    }
}
