package io.tinyalloc.core;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.spi.PlatformMemoryException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code limit}: the memory the engine has taken from the operating system and not given back,
 * counted as whole small segments in use and whole large regions mapped (live or cached), held
 * under the configured limit. Segments and regions are the units the engine maps and unmaps, so
 * the count is exact for them, and it bounds what the engine can make resident: committed
 * memory is at most this.
 *
 * <p>Memory comes back under the limit when the engine gives it back: a segment when its last
 * page has been purged and the segment released, a large region when it leaves the cache. So
 * after a free, allocation resumes once the purge delay has passed (at once with the
 * {@code immediate} purge policy; never before close with {@code none}).
 */
final class MemoryLimit {

    private final long limitByteSize;
    private final AtomicLong usedBytes = new AtomicLong();

    /** @param limitByteSize the limit in bytes, or {@link EngineSettings#NO_LIMIT} */
    MemoryLimit(long limitByteSize) {
        this.limitByteSize = limitByteSize;
    }

    /** Returns whether a limit is set: without one, nothing is counted. */
    boolean isSet() {
        return limitByteSize != EngineSettings.NO_LIMIT;
    }

    /**
     * Counts {@code byteSize} more bytes, or returns false, counting nothing, if that would pass
     * the limit.
     */
    boolean tryTake(long byteSize) {
        if (!isSet()) {
            return true;
        }
        long used;
        do {
            used = usedBytes.get();
            if (used + byteSize > limitByteSize) {
                return false;
            }
        } while (!usedBytes.compareAndSet(used, used + byteSize));
        return true;
    }

    /**
     * {@link #tryTake}, or throws the exception that tells the caller the limit was reached.
     *
     * @throws PlatformMemoryException if taking {@code byteSize} would pass the limit
     */
    void take(long byteSize) {
        if (!tryTake(byteSize)) {
            throw new PlatformMemoryException("limit: " + Bits.formatBytes(limitByteSize) + " reached ("
                    + Bits.formatBytes(usedBytes.get()) + " in use, " + Bits.formatBytes(byteSize)
                    + " more needed; free memory comes back under the limit once purged)",
                    AllocationFailedException.NO_ERRNO);
        }
    }

    /** Counts {@code byteSize} bytes given back. */
    void give(long byteSize) {
        if (isSet()) {
            usedBytes.addAndGet(-byteSize);
        }
    }

    /** The bytes counted now. */
    long usedBytes() {
        return usedBytes.get();
    }
}
