package io.tinyalloc;

import java.io.Serial;

/**
 * Thrown when an allocation cannot be satisfied: the operating system refused memory, or a
 * configured limit was reached. The message says the size asked for, what failed (with the
 * {@code errno} when the operating system said no) and the allocator's reserved and committed
 * totals at the time. The allocator stays usable.
 */
public class AllocationFailedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The {@link #errno()} when no operating-system call failed. */
    public static final int NO_ERRNO = 0;

    private final long requestedByteSize;
    private final int errno;
    private final long reservedBytes;
    private final long committedBytes;

    /**
     * Creates an exception.
     *
     * @param requestedByteSize the size the caller asked for, in bytes
     * @param reason what failed, for example {@code "mmap(4 MiB) failed: errno 12 (ENOMEM)"}
     * @param errno the operating system's error number, or {@link #NO_ERRNO}
     * @param reservedBytes the allocator's reserved bytes when it failed
     * @param committedBytes the allocator's committed bytes when it failed
     * @param cause the underlying failure, or {@code null}
     */
    public AllocationFailedException(long requestedByteSize, String reason, int errno,
            long reservedBytes, long committedBytes, Throwable cause) {
        super("cannot allocate " + requestedByteSize + " bytes: " + reason
                + " (reserved " + reservedBytes + " bytes, committed " + committedBytes + " bytes)", cause);
        this.requestedByteSize = requestedByteSize;
        this.errno = errno;
        this.reservedBytes = reservedBytes;
        this.committedBytes = committedBytes;
    }

    /** @return the size the caller asked for, in bytes */
    public long requestedByteSize() {
        return requestedByteSize;
    }

    /** @return the operating system's error number, or {@link #NO_ERRNO} */
    public int errno() {
        return errno;
    }

    /** @return the allocator's reserved bytes when the allocation failed */
    public long reservedBytes() {
        return reservedBytes;
    }

    /** @return the allocator's committed bytes when the allocation failed */
    public long committedBytes() {
        return committedBytes;
    }
}
