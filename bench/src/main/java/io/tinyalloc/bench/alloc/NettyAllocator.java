package io.tinyalloc.bench.alloc;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * {@code baseline:netty-pooled} and {@code baseline:netty-adaptive}: direct buffers of Netty
 * 4.2's {@link PooledByteBufAllocator} (jemalloc-style arenas with thread caches) and
 * {@link AdaptiveByteBufAllocator} (size-class magazines), each a new instance with Netty's
 * defaults. Allocating asks for a direct buffer whose capacity is the size; freeing is
 * {@link ByteBuf#release()}.
 *
 * <p>The address is {@link ByteBuf#memoryAddress()} when Netty uses {@code sun.misc.Unsafe},
 * else that of the buffer's NIO view. Alignment, {@code reallocate} and zeroing are emulated
 * as {@link HandleBackedAllocator} says: Netty aligns nothing (unless configured to) and its
 * buffers keep their content only when resized through {@code capacity(int)}, which the
 * {@code malloc}-style interface cannot use here. Committed bytes are Netty's own metric: the
 * direct memory its pools hold from the JVM ({@code usedDirectMemory()}). Sizes are limited to
 * 2 GiB - 1.
 */
final class NettyAllocator extends HandleBackedAllocator<ByteBuf> {

    static final String POOLED_NAME = "baseline:netty-pooled";
    static final String ADAPTIVE_NAME = "baseline:netty-adaptive";

    private final ByteBufAllocator allocator;
    private final ByteBufAllocatorMetricProvider metrics;

    private <A extends ByteBufAllocator & ByteBufAllocatorMetricProvider> NettyAllocator(String name, Supplier<A> allocator) {
        super(name);
        A created = allocator.get();
        this.allocator = created;
        this.metrics = created;
    }

    static NettyAllocator pooled() {
        return new NettyAllocator(POOLED_NAME, PooledByteBufAllocator::new);
    }

    static NettyAllocator adaptive() {
        return new NettyAllocator(ADAPTIVE_NAME, AdaptiveByteBufAllocator::new);
    }

    @Override
    Owned<ByteBuf> open(long byteSize, long byteAlignment) {
        int capacity = Math.toIntExact(byteSize);
        ByteBuf buffer = allocator.directBuffer(capacity, capacity);
        return new Owned<>(buffer, address(buffer));
    }

    private static long address(ByteBuf buffer) {
        return buffer.hasMemoryAddress() ? buffer.memoryAddress()
                : MemorySegment.ofBuffer(buffer.nioBuffer(0, buffer.capacity())).address();
    }

    @Override
    void release(ByteBuf buffer) {
        buffer.release();
    }

    @Override
    boolean zeroesOnAllocate() {
        return false;
    }

    @Override
    public long committedBytes() {
        return metrics.metric().usedDirectMemory();
    }

    @Override
    public String committedBytesSource() {
        return "Netty " + allocator.getClass().getSimpleName() + " metric().usedDirectMemory()";
    }

    /** Does nothing: Netty's allocators have no close; their pools go with the instance. */
    @Override
    public void close() {
    }
}
