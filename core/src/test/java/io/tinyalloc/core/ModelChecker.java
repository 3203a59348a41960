package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.BlockModel.Block;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs {@link Op}s against an allocator and a {@link BlockModel} side by side, and checks
 * after every step what the allocator promises: blocks are at least as large as asked, aligned,
 * never overlap, keep their contents until freed (and through {@code reallocate}, their kept
 * prefix), come zeroed when asked, and the counters agree with the model.
 *
 * <p>Failures name the step and the last {@value #HISTORY_LENGTH} steps before it, with the
 * addresses the allocator returned, so that a long random walk yields a short reproduction.
 */
final class ModelChecker {

    /** Steps remembered for failure messages. */
    static final int HISTORY_LENGTH = 24;
    /** Alignment of blocks whose usable size is exactly this. */
    private static final long WORD_BYTE_SIZE = Long.BYTES;

    private final Allocator allocator;
    private final BlockModel model = new BlockModel();
    private final Set<Long> classByteSizes;
    private final long largestClassByteSize;
    private final Deque<String> history = new ArrayDeque<>();
    private long nextSerial = 1;
    private long steps;

    ModelChecker(Allocator allocator) {
        this.allocator = allocator;
        AllocatorStats stats = allocator.stats();
        this.classByteSizes = stats.sizeClasses().stream()
                .map(AllocatorStats.SizeClassStats::blockByteSize)
                .collect(Collectors.toUnmodifiableSet());
        this.largestClassByteSize = stats.sizeClasses().getLast().blockByteSize();
    }

    int liveBlocks() {
        return model.size();
    }

    long liveUsableBytes() {
        return model.usableBytes();
    }

    /** Runs one step and checks its result; the counters are checked by {@link #checkStats()}. */
    void apply(Op op) {
        steps++;
        try {
            String result = switch (op) {
                case Op.Allocate a -> added(allocator.allocate(a.byteSize()), a.byteSize(), 0, null, false);
                case Op.AllocateAligned a -> added(allocator.allocate(a.byteSize(), a.byteAlignment()),
                        a.byteSize(), a.byteAlignment(), null, false);
                case Op.AllocateZeroed a -> added(allocator.allocateZeroed(a.byteSize()), a.byteSize(), 0, null, true);
                case Op.AllocateSegment a -> allocateSegment(a);
                case Op.Reallocate r -> reallocate(r);
                case Op.Free f -> free(f);
                case Op.UsableSize u -> usableSize(u);
            };
            remember(op + " -> " + result);
        } catch (AssertionError | RuntimeException failure) {
            throw failure("step " + steps + " " + op + ": " + describe(failure), failure);
        }
    }

    /** Checks the allocator's counters against the model. */
    void checkStats() {
        try {
            checkStatsAgainstModel();
        } catch (AssertionError | RuntimeException failure) {
            throw failure("after step " + steps + ": " + describe(failure), failure);
        }
    }

    private void checkStatsAgainstModel() {
        AllocatorStats stats = allocator.stats();
        check(stats.liveBlocks() == model.size(), "stats().liveBlocks() is " + stats.liveBlocks()
                + ", the model has " + model.size() + " live blocks");
        check(stats.liveBytes() == model.usableBytes(), "stats().liveBytes() is " + stats.liveBytes()
                + ", the usable sizes of the live blocks sum to " + model.usableBytes());
        long smallLive = stats.sizeClasses().stream().mapToLong(AllocatorStats.SizeClassStats::liveBlocks).sum();
        check(smallLive == stats.liveBlocks() - stats.largeLiveBlocks(), "size classes hold " + smallLive
                + " live blocks, expected liveBlocks - largeLiveBlocks = " + stats.liveBlocks() + " - "
                + stats.largeLiveBlocks());
        long mustBeLarge = model.countLargerThan(largestClassByteSize);
        check(stats.largeLiveBlocks() >= mustBeLarge, "stats().largeLiveBlocks() is " + stats.largeLiveBlocks()
                + ", but " + mustBeLarge + " live blocks are larger than the largest class (" + largestClassByteSize
                + " bytes)");
        for (AllocatorStats.SizeClassStats sizeClass : stats.sizeClasses()) {
            check(sizeClass.liveBlocks() >= 0 && sizeClass.liveBlocks() <= sizeClass.capacityBlocks()
                            && sizeClass.pages() >= 0,
                    "size class " + sizeClass + " has live blocks outside [0, capacity] or negative pages");
        }
        check(stats.committedBytes() >= stats.liveBytes(), "committed " + stats.committedBytes()
                + " bytes is less than the " + stats.liveBytes() + " live bytes");
        check(stats.reservedBytes() >= stats.committedBytes(), "reserved " + stats.reservedBytes()
                + " bytes is less than committed " + stats.committedBytes());
    }

    /** Checks the pattern of every live block. */
    void verifyAll() {
        try {
            for (Block block : model.blocks()) {
                verifyPattern(block, block.usableByteSize(), "live block");
            }
        } catch (AssertionError failure) {
            throw failure("after step " + steps + ": " + describe(failure), failure);
        }
    }

    /** Frees every live block after checking its pattern, then checks that nothing is live. */
    void freeAll() {
        while (model.size() > 0) {
            apply(new Op.Free(0));
        }
        checkStats();
    }

    private String allocateSegment(Op.AllocateSegment a) {
        MemorySegment segment = allocator.allocateSegment(a.byteSize(), a.byteAlignment());
        check(segment.isNative(), "allocateSegment returned a heap segment " + segment);
        check(segment.byteSize() == a.byteSize(), "allocateSegment returned " + segment.byteSize()
                + " bytes, asked " + a.byteSize());
        return added(segment.address(), a.byteSize(), a.byteAlignment(), segment, false);
    }

    private String reallocate(Op.Reallocate r) {
        Block old = model.remove(r.pick());
        if (old == null) {
            return added(allocator.reallocate(0, r.byteSize()), r.byteSize(), 0, null, false);
        }
        verifyPattern(old, old.usableByteSize(), "block before reallocate");
        long address = allocator.reallocate(old.address(), r.byteSize());
        long kept = Math.min(old.byteSize(), r.byteSize());
        long mismatch = Patterns.firstMismatch(address, kept, old.serial());
        check(mismatch < 0, () -> "reallocate(" + old + ", " + r.byteSize() + ") returned 0x"
                + Long.toHexString(address) + " whose first " + kept + " bytes changed: "
                + Patterns.describeMismatch(address, mismatch, old.serial()));
        // A block kept in place keeps its usable size, which for an aligned block may be no class.
        boolean keptInPlace = address == old.address() && old.usableByteSize() >= r.byteSize();
        return "from " + old + " " + (keptInPlace ? keptAfterReallocate(old, r.byteSize())
                : added(address, r.byteSize(), 0, null, false));
    }

    private String keptAfterReallocate(Block old, long byteSize) {
        long usable = allocator.usableSize(old.address());
        check(usable == old.usableByteSize(), "reallocate in place changed usableSize of " + old + " to " + usable);
        Patterns.fill(old.address(), usable, old.serial());
        model.add(new Block(old.address(), byteSize, usable, old.serial(), null));
        return "kept in place";
    }

    private String free(Op.Free f) {
        Block block = model.remove(f.pick());
        if (block == null) {
            return "nothing live";
        }
        verifyPattern(block, block.usableByteSize(), "block at free");
        if (block.segment() != null) {
            allocator.free(block.segment());
        } else {
            allocator.free(block.address());
        }
        return block.toString();
    }

    private String usableSize(Op.UsableSize u) {
        Block block = model.get(u.pick());
        if (block == null) {
            return "nothing live";
        }
        long usable = allocator.usableSize(block.address());
        check(usable == block.usableByteSize(), "usableSize of " + block + " is now " + usable);
        return block + " " + usable;
    }

    /** Checks a block just handed out, fills it with a fresh pattern and adds it to the model. */
    private String added(long address, long byteSize, long byteAlignment, MemorySegment segment, boolean zeroed) {
        check(address != 0, "the allocator returned address 0");
        long usable = allocator.usableSize(address);
        check(usable >= byteSize, "usableSize is " + usable + ", less than the " + byteSize + " bytes asked");
        // Aligned requests may be served by a larger class or by the large path, rounded to OS pages.
        boolean naturallyAligned = byteAlignment <= Allocator.MIN_BYTE_ALIGNMENT;
        check(!naturallyAligned || usable > largestClassByteSize || classByteSizes.contains(usable), "usableSize "
                + usable + " is neither a size class nor above the largest class (" + largestClassByteSize + ")");
        long required = Math.max(byteAlignment, usable == WORD_BYTE_SIZE ? WORD_BYTE_SIZE : Allocator.MIN_BYTE_ALIGNMENT);
        check(address % required == 0, () -> "address 0x" + Long.toHexString(address) + " (usable " + usable
                + ") is not aligned to " + required);
        if (zeroed) {
            long nonZero = Patterns.firstNonZero(address, byteSize);
            check(nonZero < 0, () -> "allocateZeroed(" + byteSize + ") returned 0x" + Long.toHexString(address)
                    + " whose byte " + nonZero + " is not zero");
        }
        Block block = new Block(address, byteSize, usable, nextSerial++, segment);
        model.add(block);
        Patterns.fill(address, usable, block.serial());
        return block.toString();
    }

    private void verifyPattern(Block block, long byteSize, String what) {
        long mismatch = Patterns.firstMismatch(block.address(), byteSize, block.serial());
        check(mismatch < 0, () -> what + " " + block + " was overwritten: "
                + Patterns.describeMismatch(block.address(), mismatch, block.serial()));
    }

    private static String describe(Throwable failure) {
        return failure instanceof AssertionError ? failure.getMessage() : failure.toString();
    }

    private void remember(String step) {
        if (history.size() == HISTORY_LENGTH) {
            history.removeFirst();
        }
        history.addLast(steps + ": " + step);
    }

    private AssertionError failure(String message, Throwable cause) {
        return new AssertionError(message + "\nlast steps:\n  " + String.join("\n  ", history), cause);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void check(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new AssertionError(message.get());
        }
    }
}
