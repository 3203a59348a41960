package io.tinyalloc.core;

import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out aligned segments carved from arenas: large reservations of address space, made
 * without committing memory. Claiming and returning a segment is one CAS on the arena's bitmap;
 * the lock is taken only to reserve a new arena, once per {@code arenaByteSize} of growth.
 */
final class SegmentSource {

    /** One reservation, split into {@code segmentCount} segments, with a bit per segment in use. */
    private record Arena(long base, long byteSize, int segmentCount, AtomicLongArray inUse) {

        boolean contains(long address) {
            return address >= base && address < base + byteSize;
        }
    }

    private final PlatformMemory platform;
    private final SegmentMap segments;
    private final MemoryLimit limit;
    private final PurgeFailures failures;
    private final long segmentByteSize;
    private final long arenaByteSize;
    private final long segmentByteAlignment;
    private final CopyOnWriteArrayList<Arena> arenas = new CopyOnWriteArrayList<>();
    private final ReentrantLock growLock = new ReentrantLock();

    SegmentSource(PlatformMemory platform, SegmentMap segments, MemoryLimit limit, PurgeFailures failures,
            long segmentByteSize, long arenaByteSize) {
        this.platform = platform;
        this.failures = failures;
        this.segments = segments;
        this.limit = limit;
        this.segmentByteSize = segmentByteSize;
        this.arenaByteSize = arenaByteSize;
        this.segmentByteAlignment = segments.segmentByteAlignment();
    }

    /**
     * Claims a free segment, reserving a new arena if every arena is full, commits it and
     * registers it.
     *
     * @throws io.tinyalloc.spi.PlatformMemoryException if the operating system refuses, or the
     *         segment would pass the {@link MemoryLimit}
     */
    long acquire() {
        limit.take(segmentByteSize);
        try {
            return claim();
        } catch (RuntimeException e) {
            limit.give(segmentByteSize);
            throw e;
        }
    }

    private long claim() {
        while (true) {
            for (Arena arena : arenas) {
                long segment = tryClaim(arena);
                if (segment != 0) {
                    return prepare(segment);
                }
            }
            growIfStillFull(arenas.size());
        }
    }

    private long prepare(long segment) {
        try {
            platform.commit(segment, segmentByteSize);
            segments.register(segment, segmentByteSize);
        } catch (RuntimeException e) {
            unclaim(segment);
            throw e;
        }
        return segment;
    }

    private long tryClaim(Arena arena) {
        AtomicLongArray inUse = arena.inUse();
        for (int word = 0; word < inUse.length(); word++) {
            long bits = inUse.get(word);
            int validBits = Math.min(Long.SIZE, arena.segmentCount() - word * Long.SIZE);
            long validMask = validBits == Long.SIZE ? -1L : (1L << validBits) - 1;
            while ((bits & validMask) != validMask) {
                long bit = Long.lowestOneBit(~bits);
                if (inUse.compareAndSet(word, bits, bits | bit)) {
                    int index = word * Long.SIZE + Long.numberOfTrailingZeros(bit);
                    return arena.base() + index * segmentByteSize;
                }
                bits = inUse.get(word);
            }
        }
        return 0;
    }

    private void growIfStillFull(int arenasSeen) {
        growLock.lock();
        try {
            if (arenas.size() == arenasSeen) {
                long base = platform.reserve(arenaByteSize, segmentByteAlignment);
                int segmentCount = (int) (arenaByteSize / segmentByteSize);
                arenas.add(new Arena(base, arenaByteSize, segmentCount,
                        new AtomicLongArray((segmentCount + Long.SIZE - 1) / Long.SIZE)));
            }
        } finally {
            growLock.unlock();
        }
    }

    /**
     * Gives a segment back: unregisters it and decommits its memory. A failed decommit is logged,
     * not thrown: the free or the purge that released the segment did nothing wrong.
     */
    void release(long segment) {
        segments.unregister(segment, segmentByteSize);
        try {
            platform.decommit(segment, segmentByteSize);
        } catch (PlatformMemoryException e) {
            // Claimed again as it is: segment headers and pages are initialized, not assumed zero.
            failures.log(e);
        } finally {
            unclaim(segment);
            limit.give(segmentByteSize);
        }
    }

    private void unclaim(long segment) {
        for (Arena arena : arenas) {
            if (arena.contains(segment)) {
                int index = (int) ((segment - arena.base()) / segmentByteSize);
                int word = index / Long.SIZE;
                long bit = 1L << (index % Long.SIZE);
                AtomicLongArray inUse = arena.inUse();
                long bits;
                do {
                    bits = inUse.get(word);
                } while (!inUse.compareAndSet(word, bits, bits & ~bit));
                return;
            }
        }
        throw new IllegalStateException("segment 0x" + Long.toHexString(segment) + " belongs to no arena");
    }

    long reservedBytes() {
        long total = 0;
        for (Arena arena : arenas) {
            total += arena.byteSize();
        }
        return total;
    }

    /** Unmaps every arena. Only for {@code close()}: every segment becomes invalid. */
    void releaseAll() {
        for (Arena arena : arenas) {
            platform.release(arena.base(), arena.byteSize());
        }
        arenas.clear();
    }
}
