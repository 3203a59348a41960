package io.tinyalloc.platform.linux;

import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import java.util.Objects;

/**
 * {@link PlatformMemory} on Linux: anonymous private mappings made with {@code mmap}, purged with
 * {@code madvise}, guarded with {@code mprotect} and released with {@code munmap}.
 *
 * <ul>
 *   <li>{@link #reserve} maps {@code PROT_READ | PROT_WRITE} with {@code MAP_NORESERVE}: the
 *       range costs address space only, no memory and no swap, until it is touched. An aligned
 *       reservation maps {@code byteAlignment - pageByteSize} bytes more than asked, the least
 *       that always holds an aligned start, and unmaps the head and the tail around that start.
 *   <li>{@link #commit} does nothing. Linux backs an anonymous page on its first touch, and a
 *       decommitted page is mapped again, zero-filled, by the next touch; the range is readable
 *       and writable since it was reserved. (A range protected with
 *       {@link Protection#NONE} is made usable again with {@link #protect}, not with commit.)
 *   <li>{@link #decommit} is {@code madvise(MADV_DONTNEED)}: the pages are freed at once, the
 *       resident size drops, and the range reads as zero afterwards.
 *   <li>{@link #reset} is {@code madvise(MADV_FREE)}: the kernel frees the pages only under
 *       memory pressure, which is cheaper when the memory is soon reused. Kernels older than
 *       4.5 reject {@code MADV_FREE} with {@code EINVAL}; then reset uses
 *       {@code MADV_DONTNEED} instead, and keeps doing so.
 *   <li>{@link #release} is {@code munmap}, {@link #protect} is {@code mprotect}.
 * </ul>
 *
 * <p>Thread-safe: the only mutable state is the {@code MADV_FREE} fallback flag.
 */
final class LinuxMemory implements PlatformMemory {

    private final long pageByteSize;
    private final int preferredResetAdvice;

    /**
     * Whether the kernel refused {@link #preferredResetAdvice}, so that reset goes straight to
     * {@code MADV_DONTNEED}. Racy on purpose: threads that have not seen the write yet try the
     * preferred advice once more, get the same {@code EINVAL} and fall back the same way.
     */
    private volatile boolean resetFallsBackToDontNeed;

    /** Creates the platform memory of this process, reading the page size once. */
    LinuxMemory() {
        this(LinuxSyscalls.MADV_FREE);
    }

    /**
     * Creates the platform memory with another advice for {@link #reset}; tests pass one that
     * the kernel rejects to exercise the fallback.
     */
    LinuxMemory(int preferredResetAdvice) {
        this.pageByteSize = LinuxSyscalls.pageByteSize();
        this.preferredResetAdvice = preferredResetAdvice;
        if (Long.bitCount(pageByteSize) != 1) {
            throw new IllegalStateException("sysconf(_SC_PAGESIZE) returned " + pageByteSize
                    + " (expected: a power of two)");
        }
    }

    @Override
    public long pageByteSize() {
        return pageByteSize;
    }

    @Override
    public long reserve(long byteSize, long byteAlignment) {
        requireSize(byteSize);
        requireAlignment(byteAlignment);
        if (byteAlignment == pageByteSize) {
            return LinuxSyscalls.mmapAnonymous(byteSize);
        }
        return reserveAligned(byteSize, byteAlignment);
    }

    /**
     * Maps enough to hold an aligned range of {@code byteSize}, then unmaps what lies before and
     * after it. mmap only promises page alignment, so the aligned start is at most
     * {@code byteAlignment - pageByteSize} bytes in.
     */
    private long reserveAligned(long byteSize, long byteAlignment) {
        long slackByteSize = byteAlignment - pageByteSize;
        if (byteSize > Long.MAX_VALUE - slackByteSize) {
            throw new IllegalArgumentException("byteSize: " + byteSize + " with byteAlignment: " + byteAlignment
                    + " (expected: byteSize + byteAlignment to fit in a long)");
        }
        long mappedByteSize = byteSize + slackByteSize;
        long mapped = LinuxSyscalls.mmapAnonymous(mappedByteSize);
        long aligned = alignUp(mapped, byteAlignment);
        long headByteSize = aligned - mapped;
        long tailByteSize = slackByteSize - headByteSize;
        trimOrUnmapAll(mapped, headByteSize, mapped, mappedByteSize);
        trimOrUnmapAll(aligned + byteSize, tailByteSize, aligned, byteSize + tailByteSize);
        return aligned;
    }

    /**
     * Unmaps {@code [trim, trim + trimByteSize)}. If that fails (splitting a mapping can exceed
     * {@code vm.max_map_count}), unmaps everything still mapped so that nothing leaks, and
     * rethrows.
     */
    private static void trimOrUnmapAll(long trim, long trimByteSize, long mapped, long mappedByteSize) {
        if (trimByteSize == 0) {
            return;
        }
        try {
            LinuxSyscalls.munmap(trim, trimByteSize);
        } catch (PlatformMemoryException trimFailure) {
            try {
                LinuxSyscalls.munmap(mapped, mappedByteSize);
            } catch (PlatformMemoryException cleanupFailure) {
                trimFailure.addSuppressed(cleanupFailure);
            }
            throw trimFailure;
        }
    }

    /** Does nothing but check its arguments: see the class description for why. */
    @Override
    public void commit(long address, long byteSize) {
        requireRange(address, byteSize);
    }

    @Override
    public void decommit(long address, long byteSize) {
        requireRange(address, byteSize);
        LinuxSyscalls.madvise(address, byteSize, LinuxSyscalls.MADV_DONTNEED);
    }

    @Override
    public void reset(long address, long byteSize) {
        requireRange(address, byteSize);
        if (resetFallsBackToDontNeed) {
            LinuxSyscalls.madvise(address, byteSize, LinuxSyscalls.MADV_DONTNEED);
            return;
        }
        try {
            LinuxSyscalls.madvise(address, byteSize, preferredResetAdvice);
        } catch (PlatformMemoryException refused) {
            if (refused.errno() != Errno.EINVAL) {
                throw refused;
            }
            resetWithDontNeed(address, byteSize, refused);
        }
    }

    /**
     * Resets with {@code MADV_DONTNEED} after the preferred advice got {@code EINVAL}, and
     * remembers to skip the preferred advice only if this works: {@code EINVAL} also comes from
     * locked ranges, which refuse both advices and say nothing about the kernel.
     */
    private void resetWithDontNeed(long address, long byteSize, PlatformMemoryException refused) {
        try {
            LinuxSyscalls.madvise(address, byteSize, LinuxSyscalls.MADV_DONTNEED);
        } catch (PlatformMemoryException fallbackFailure) {
            fallbackFailure.addSuppressed(refused);
            throw fallbackFailure;
        }
        resetFallsBackToDontNeed = true;
    }

    @Override
    public void release(long address, long byteSize) {
        requireRange(address, byteSize);
        LinuxSyscalls.munmap(address, byteSize);
    }

    @Override
    public void protect(long address, long byteSize, Protection protection) {
        requireRange(address, byteSize);
        Objects.requireNonNull(protection, "protection");
        LinuxSyscalls.mprotect(address, byteSize, protectionFlags(protection));
    }

    /** Whether {@link #reset} found the preferred advice refused and uses MADV_DONTNEED. */
    boolean resetFallsBackToDontNeed() {
        return resetFallsBackToDontNeed;
    }

    @Override
    public String toString() {
        return "LinuxMemory[pageByteSize=" + pageByteSize + "]";
    }

    private static int protectionFlags(Protection protection) {
        return switch (protection) {
            case NONE -> LinuxSyscalls.PROT_NONE;
            case READ -> LinuxSyscalls.PROT_READ;
            case READ_WRITE -> LinuxSyscalls.PROT_READ | LinuxSyscalls.PROT_WRITE;
        };
    }

    private void requireRange(long address, long byteSize) {
        if (address == 0 || !isPageMultiple(address)) {
            throw new IllegalArgumentException("address: 0x" + Long.toHexString(address)
                    + " (expected: a non-zero multiple of the page size, " + pageByteSize + ")");
        }
        requireSize(byteSize);
    }

    private void requireSize(long byteSize) {
        if (byteSize <= 0 || !isPageMultiple(byteSize)) {
            throw new IllegalArgumentException("byteSize: " + byteSize
                    + " (expected: a positive multiple of the page size, " + pageByteSize + ")");
        }
    }

    private void requireAlignment(long byteAlignment) {
        if (Long.bitCount(byteAlignment) != 1 || byteAlignment < pageByteSize) {
            throw new IllegalArgumentException("byteAlignment: " + byteAlignment
                    + " (expected: a power of two, at least the page size, " + pageByteSize + ")");
        }
    }

    private boolean isPageMultiple(long value) {
        return (value & (pageByteSize - 1)) == 0;
    }

    private static long alignUp(long address, long byteAlignment) {
        return (address + byteAlignment - 1) & -byteAlignment;
    }
}
