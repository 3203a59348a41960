package io.tinyalloc.bench.workload;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * A batch of {@value #BATCH_SIZE} allocations, each touched, then {@value #BATCH_SIZE} frees in
 * the same order: the sizes come from a fixed table so that every run asks for the same ones.
 *
 * @param name the workload's name
 * @param description what it allocates
 * @param byteSizes the size of each allocation of the batch, {@value #BATCH_SIZE} of them
 */
public record BatchWorkload(String name, String description, int[] byteSizes) implements Workload {

    /** Allocations per batch. */
    public static final int BATCH_SIZE = 1_000;
    /** Operations per batch: every allocation and every free. */
    public static final int OPS_PER_BATCH = 2 * BATCH_SIZE;

    /** The seed of the mixed sizes: fixed, so that every run and every allocator get the same sizes. */
    static final long MIXED_SEED = 0x7A11A70CL;
    private static final int SMALL_MAX_BYTES = 512;
    private static final int MEDIUM_MAX_BYTES = 8 << 10;
    private static final int LARGE_MAX_BYTES = 64 << 10;
    /** Out of 100 mixed allocations: 90 small (8..512 B), 9 medium (to 8 KiB), 1 large (to 64 KiB). */
    private static final int SMALL_PERCENT = 90;
    private static final int MEDIUM_PERCENT = 9;
    private static final int PERCENT = 100;
    private static final int MIN_BYTES = 8;

    /** Checks the batch's length. */
    public BatchWorkload {
        if (byteSizes.length != BATCH_SIZE) {
            throw new IllegalArgumentException("a batch of " + byteSizes.length + " sizes (expected: " + BATCH_SIZE + ")");
        }
    }

    static BatchWorkload fixed(String name, int byteSize) {
        int[] sizes = new int[BATCH_SIZE];
        Arrays.fill(sizes, byteSize);
        return new BatchWorkload(name, "1,000 blocks of " + byteSize + " B, then 1,000 frees", sizes);
    }

    static BatchWorkload mixed(String name) {
        SplittableRandom random = new SplittableRandom(MIXED_SEED);
        IntSupplier size = () -> {
            int percentile = random.nextInt(PERCENT);
            int max = percentile < SMALL_PERCENT ? SMALL_MAX_BYTES
                    : percentile < SMALL_PERCENT + MEDIUM_PERCENT ? MEDIUM_MAX_BYTES : LARGE_MAX_BYTES;
            return random.nextInt(MIN_BYTES, max + 1);
        };
        int[] sizes = new int[BATCH_SIZE];
        Arrays.setAll(sizes, unused -> size.getAsInt());
        return new BatchWorkload(name, "1,000 blocks of mixed sizes (90% 8-512 B, 9% to 8 KiB, 1% to 64 KiB), then 1,000 frees",
                sizes);
    }

    /** @return a copy of the batch's sizes */
    @Override
    public int[] byteSizes() {
        return byteSizes.clone();
    }

    @Override
    public String jmhBenchmark() {
        return "io.tinyalloc.bench.BatchBenchmark.allocateThenFree";
    }

    @Override
    public Map<String, String> jmhParameters() {
        return Map.of("workload", name);
    }
}
