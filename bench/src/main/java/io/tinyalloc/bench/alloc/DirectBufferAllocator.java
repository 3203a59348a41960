package io.tinyalloc.bench.alloc;

import java.lang.foreign.MemorySegment;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * {@code baseline:direct}: {@link ByteBuffer#allocateDirect(int)}, the pre-FFM way to get
 * off-heap memory.
 *
 * <p><b>How free works.</b> The JDK has no public way to free a direct buffer (only the
 * unsupported {@code sun.misc.Unsafe.invokeCleaner}, which this baseline does not use: it
 * measures what ordinary code gets). {@link #free} drops the last reference, from the address
 * map of {@link HandleBackedAllocator}; the memory goes back to the C library when a garbage
 * collection finds the buffer unreachable and its cleaner runs. When the live buffers reach
 * {@code -XX:MaxDirectMemorySize} (by default the maximum heap size), {@code allocateDirect}
 * itself calls {@code System.gc()} and waits for cleaners. The ns/op therefore includes
 * {@code malloc}, the zeroing every direct buffer gets, the reservation accounting, the cleaner
 * registration, and a share of the collections that release the memory; the committed bytes
 * include buffers freed here but not yet collected. Sizes are limited to 2 GiB - 1.
 *
 * <p>Committed bytes are the JDK's own count: the {@code direct} buffer pool's memory used.
 */
final class DirectBufferAllocator extends HandleBackedAllocator<ByteBuffer> {

    static final String NAME = "baseline:direct";

    private static final String DIRECT_POOL = "direct";

    private final BufferPoolMXBean directPool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals(DIRECT_POOL))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no \"" + DIRECT_POOL + "\" buffer pool in this JVM"));

    DirectBufferAllocator() {
        super(NAME);
    }

    @Override
    Owned<ByteBuffer> open(long byteSize, long byteAlignment) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(byteSize));
        return new Owned<>(buffer, MemorySegment.ofBuffer(buffer).address());
    }

    /** Drops the reference (the caller's map held the last one): the GC frees the memory later. */
    @Override
    void release(ByteBuffer buffer) {
    }

    @Override
    boolean zeroesOnAllocate() {
        return true;
    }

    @Override
    public long committedBytes() {
        return directPool.getMemoryUsed();
    }

    @Override
    public String committedBytesSource() {
        return "JDK direct buffer pool MemoryUsed (buffers not yet collected included)";
    }

    /** Does nothing: the buffers go when the GC collects them. */
    @Override
    public void close() {
    }
}
