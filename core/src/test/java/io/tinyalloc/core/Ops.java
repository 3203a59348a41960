package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static io.tinyalloc.core.TestEngines.MiB;

import java.util.List;
import java.util.SplittableRandom;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Where the steps of model-based tests come from: a seeded random source for long walks, and
 * QuickTheories generators for short sequences that shrink to a minimal failing one.
 *
 * <p>Sizes are weighted to small ones, so that pages fill up and empty again, with a tail of
 * large ones (above 64 KiB, up to {@link #MAX_BYTE_SIZE}) and sizes next to powers of two,
 * where size classes and page boundaries sit.
 */
final class Ops {

    /** The largest size asked for. */
    static final long MAX_BYTE_SIZE = 4 * MiB;
    /** The largest alignment asked for. */
    static final long MAX_BYTE_ALIGNMENT = 8 * MiB;
    /** Alignments up to this are common; above, rare. */
    private static final long COMMON_MAX_BYTE_ALIGNMENT = 64 * KiB;
    private static final int MIN_ALIGNMENT_SHIFT = 3;
    /** Exponents of the powers of two that sizes cluster around. */
    private static final int MIN_EDGE_SHIFT = 3;
    private static final int MAX_EDGE_SHIFT = 22;
    /** Picks are reduced modulo the live count; this only needs to exceed any live count by far. */
    private static final int MAX_PICK = 1 << 20;

    private Ops() {
    }

    // ---------------------------------------------------------------- random walks

    /**
     * The next step of a random walk. While {@code filling}, allocations outnumber frees;
     * otherwise frees dominate, so that the walk swings between many live blocks and few.
     */
    static Op next(SplittableRandom random, boolean filling, long maxByteAlignment) {
        int freeWeight = filling ? 22 : 70;
        int roll = random.nextInt(100 + freeWeight);
        int pick = random.nextInt(MAX_PICK);
        if (roll < 42) {
            return new Op.Allocate(byteSize(random));
        } else if (roll < 52) {
            return new Op.AllocateAligned(smallByteSize(random), byteAlignment(random, maxByteAlignment));
        } else if (roll < 60) {
            return new Op.AllocateZeroed(byteSize(random));
        } else if (roll < 67) {
            return new Op.AllocateSegment(byteSize(random), byteAlignment(random, maxByteAlignment));
        } else if (roll < 90) {
            return new Op.Reallocate(pick, byteSize(random));
        } else if (roll < 100) {
            return new Op.UsableSize(pick);
        }
        return new Op.Free(pick);
    }

    /** A size from the whole range, weighted to small sizes. */
    static long byteSize(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 50) {
            return random.nextLong(257);
        } else if (roll < 68) {
            return random.nextLong(257, 4 * KiB + 1);
        } else if (roll < 80) {
            return random.nextLong(4 * KiB + 1, 64 * KiB + 1);
        } else if (roll < 87) {
            return random.nextLong(64 * KiB + 1, MiB + 1);
        } else if (roll < 89) {
            return random.nextLong(MiB + 1, MAX_BYTE_SIZE + 1);
        }
        return nearPowerOfTwo(random);
    }

    /** A size for aligned allocations: mostly small, since the alignment is the point. */
    static long smallByteSize(SplittableRandom random) {
        return random.nextInt(4) == 0 ? byteSize(random) : random.nextLong(4 * KiB + 1);
    }

    /** An alignment: mostly 8 B to 64 KiB, sometimes up to {@code maxByteAlignment}; never above it. */
    static long byteAlignment(SplittableRandom random, long maxByteAlignment) {
        long max = random.nextInt(10) == 0 ? maxByteAlignment : Math.min(COMMON_MAX_BYTE_ALIGNMENT, maxByteAlignment);
        return 1L << random.nextInt(MIN_ALIGNMENT_SHIFT, Long.numberOfTrailingZeros(max) + 1);
    }

    private static long nearPowerOfTwo(SplittableRandom random) {
        return (1L << random.nextInt(MIN_EDGE_SHIFT, MAX_EDGE_SHIFT + 1)) + random.nextInt(-1, 2);
    }

    // ---------------------------------------------------------------- QuickTheories

    /** Steps for short sequences; sizes shrink towards 0 and picks towards the first block. */
    static Gen<Op> gen(long maxByteAlignment) {
        Gen<Integer> picks = Generate.range(0, MAX_PICK);
        Gen<Long> sizes = byteSizes();
        Gen<Long> smallSizes = Generate.longRange(0, 4 * KiB);
        Gen<Long> alignments = byteAlignments(maxByteAlignment);
        return Generate.frequency(List.of(
                Pair.of(30, sizes.map(Op.Allocate::new)),
                Pair.of(8, smallSizes.zip(alignments, Op.AllocateAligned::new)),
                Pair.of(6, sizes.map(Op.AllocateZeroed::new)),
                Pair.of(6, sizes.zip(alignments, Op.AllocateSegment::new)),
                Pair.of(15, picks.zip(sizes, Op.Reallocate::new)),
                Pair.of(5, picks.map(Op.UsableSize::new)),
                Pair.of(30, picks.map(Op.Free::new))));
    }

    /** Sizes weighted like {@link #byteSize(SplittableRandom)}. */
    static Gen<Long> byteSizes() {
        return Generate.frequency(List.of(
                Pair.of(50, Generate.longRange(0, 256)),
                Pair.of(18, Generate.longRange(257, 4 * KiB)),
                Pair.of(12, Generate.longRange(4 * KiB + 1, 64 * KiB)),
                Pair.of(7, Generate.longRange(64 * KiB + 1, MiB)),
                Pair.of(2, Generate.longRange(MiB + 1, MAX_BYTE_SIZE)),
                Pair.of(11, Generate.range(MIN_EDGE_SHIFT, MAX_EDGE_SHIFT)
                        .zip(Generate.range(-1, 1), (shift, delta) -> (1L << shift) + delta))));
    }

    /** Powers of two from 8 B to {@code maxByteAlignment}, mostly up to 64 KiB. */
    static Gen<Long> byteAlignments(long maxByteAlignment) {
        int maxShift = Long.numberOfTrailingZeros(maxByteAlignment);
        int commonMaxShift = Math.min(maxShift, Long.numberOfTrailingZeros(COMMON_MAX_BYTE_ALIGNMENT));
        return Generate.frequency(List.of(
                Pair.of(9, Generate.range(MIN_ALIGNMENT_SHIFT, commonMaxShift)),
                Pair.of(1, Generate.range(MIN_ALIGNMENT_SHIFT, maxShift))))
                .map(shift -> 1L << shift);
    }
}
