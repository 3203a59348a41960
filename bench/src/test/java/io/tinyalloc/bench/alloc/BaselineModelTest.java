package io.tinyalloc.bench.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of allocate, aligned allocate, zeroed allocate, reallocate and free against
 * every baseline that opens here, checked against a model: each live block's bytes are a
 * pattern that must survive until it is freed, and reallocation keeps the smaller size's.
 */
@SuppressWarnings("restricted")   // raw addresses are the point; the JVM runs with --enable-native-access
class BaselineModelTest {

    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int SEQUENCES = 20;
    private static final int OPS_PER_SEQUENCE = 200;
    private static final int MAX_BYTES = 20_000;
    private static final int MAX_ALIGNMENT_SHIFT = 13;

    /** A live block of the model: where it is, its size, and the seed of its content. */
    private record Live(long address, int byteSize, byte fill) {
    }

    static List<String> baselines() {
        return BenchAllocators.names().stream().filter(name -> name.startsWith("baseline:")).toList();
    }

    @ParameterizedTest
    @MethodSource("baselines")
    void randomSequencesKeepEveryBlocksContent(String name) {
        BenchAllocator allocator;
        try {
            allocator = BenchAllocators.open(name);
        } catch (AllocatorUnavailableException unavailable) {
            assumeTrue(false, unavailable.getMessage());
            return;
        }
        try (allocator) {
            for (long seed = 1; seed <= SEQUENCES; seed++) {
                runSequence(allocator, seed);
            }
        }
    }

    private static void runSequence(BenchAllocator allocator, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Live> live = new ArrayList<>();
        String where = allocator.name() + ", seed " + seed;
        for (int op = 0; op < OPS_PER_SEQUENCE; op++) {
            int byteSize = random.nextInt(1, MAX_BYTES);
            byte fill = (byte) random.nextInt();
            switch (live.isEmpty() ? 0 : random.nextInt(5)) {
                case 0 -> live.add(written(allocator.allocate(byteSize), byteSize, fill));
                case 1 -> {
                    long alignment = 1L << random.nextInt(MAX_ALIGNMENT_SHIFT + 1);
                    long address = allocator.allocate(byteSize, alignment);
                    assertEquals(0, address % alignment, where + ": alignment " + alignment);
                    live.add(written(address, byteSize, fill));
                }
                case 2 -> {
                    long address = allocator.allocateZeroed(byteSize);
                    assertTrue(isZero(address, byteSize), where + ": zeroed block of " + byteSize + " bytes");
                    live.add(written(address, byteSize, fill));
                }
                case 3 -> {
                    Live old = live.remove(random.nextInt(live.size()));
                    long moved = allocator.reallocate(old.address(), byteSize);
                    int kept = Math.min(old.byteSize(), byteSize);
                    assertTrue(holds(moved, kept, old.fill()), where + ": reallocate " + old.byteSize() + " -> " + byteSize);
                    live.add(written(moved, byteSize, fill));
                }
                default -> {
                    Live freed = live.remove(random.nextInt(live.size()));
                    assertTrue(holds(freed.address(), freed.byteSize(), freed.fill()), where + ": content before free");
                    allocator.free(freed.address());
                }
            }
        }
        for (Live block : live) {
            assertTrue(holds(block.address(), block.byteSize(), block.fill()), where + ": content at the end");
            allocator.free(block.address());
        }
    }

    private static Live written(long address, int byteSize, byte fill) {
        EVERYWHERE.asSlice(address, byteSize).fill(fill);
        return new Live(address, byteSize, fill);
    }

    private static boolean holds(long address, int byteSize, byte fill) {
        MemorySegment block = EVERYWHERE.asSlice(address, byteSize);
        for (long i = 0; i < byteSize; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != fill) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(long address, int byteSize) {
        return holds(address, byteSize, (byte) 0);
    }
}
