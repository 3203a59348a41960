package io.tinyalloc.bench.alloc;

import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Unsafe;

/**
 * {@code baseline:unsafe}: {@code sun.misc.Unsafe.allocateMemory}, {@code reallocateMemory} and
 * {@code freeMemory}, the JDK's {@code malloc}, {@code realloc} and {@code free} with its
 * native-memory accounting around them. A baseline only: tinyalloc never uses {@code Unsafe}.
 * These methods are deprecated for removal (JEP 471); the JVM runs with
 * {@code --sun-misc-unsafe-memory-access=allow} so that it does not warn.
 *
 * <p>{@code Unsafe} has no aligned allocation. Alignments up to
 * {@value #MALLOC_BYTE_ALIGNMENT} bytes are what {@code allocateMemory} gives anyway on 64-bit
 * platforms; a larger one is emulated: the block is allocated {@code byteAlignment - 1} bytes
 * larger, its address rounded up, and the raw address remembered in a map until the block is
 * freed (a map that {@code free} reads only while such blocks are live). Reallocating such a
 * block moves it to a plain one. {@code allocateZeroed} clears after allocating. Committed
 * bytes are the resident set of the whole JVM.
 */
@SuppressWarnings("removal")   // Unsafe's memory methods are the baseline; nothing else uses them
final class UnsafeAllocator implements BenchAllocator {

    static final String NAME = "baseline:unsafe";

    /** What {@code allocateMemory} aligns to: the C library's {@code malloc} alignment on LP64. */
    static final long MALLOC_BYTE_ALIGNMENT = 16;
    /** {@code allocateMemory(0)} returns 0: a zero-byte block gets one byte. */
    private static final long MIN_BYTE_SIZE = 1;

    private static final Unsafe UNSAFE = theUnsafe();

    /** A block aligned by padding: the address that {@code freeMemory} wants, and the usable size. */
    private record Padded(long rawAddress, long byteSize) {
    }

    private final ConcurrentHashMap<Long, Padded> paddedBlocks = new ConcurrentHashMap<>();

    private static Unsafe theUnsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException unexpected) {
            throw new IllegalStateException("cannot get sun.misc.Unsafe (expected: the jdk.unsupported module)", unexpected);
        }
    }

    @Override
    public long allocate(long byteSize) {
        return checked(UNSAFE.allocateMemory(Math.max(MIN_BYTE_SIZE, byteSize)), byteSize);
    }

    @Override
    public long allocateZeroed(long byteSize) {
        long address = allocate(byteSize);
        UNSAFE.setMemory(address, byteSize, (byte) 0);
        return address;
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        if (RawMemory.checkedAlignment(byteAlignment) <= MALLOC_BYTE_ALIGNMENT) {
            return allocate(byteSize);
        }
        long usableBytes = Math.max(MIN_BYTE_SIZE, byteSize);
        long raw = allocate(usableBytes + byteAlignment - 1);
        long aligned = RawMemory.alignUp(raw, byteAlignment);
        paddedBlocks.put(aligned, new Padded(raw, usableBytes));
        return aligned;
    }

    @Override
    public long reallocate(long address, long byteSize) {
        Padded padded = paddedBlock(address);
        if (padded == null) {
            return checked(UNSAFE.reallocateMemory(address, Math.max(MIN_BYTE_SIZE, byteSize)), byteSize);
        }
        long moved = allocate(byteSize);
        RawMemory.copy(address, moved, Math.min(padded.byteSize(), byteSize));
        free(address);
        return moved;
    }

    @Override
    public void free(long address) {
        Padded padded = paddedBlocks.isEmpty() ? null : paddedBlocks.remove(address);
        UNSAFE.freeMemory(padded == null ? address : padded.rawAddress());
    }

    private Padded paddedBlock(long address) {
        return paddedBlocks.isEmpty() ? null : paddedBlocks.get(address);
    }

    private static long checked(long address, long byteSize) {
        if (address == 0) {
            throw new OutOfMemoryError(NAME + " returned NULL for " + byteSize + " bytes");
        }
        return address;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Does nothing: the blocks are the C library's, for the life of the process. */
    @Override
    public void close() {
    }
}
