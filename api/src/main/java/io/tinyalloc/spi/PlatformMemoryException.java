package io.tinyalloc.spi;

import java.io.Serial;

/**
 * Thrown by a {@link PlatformMemory} when the operating system refuses a request. The message
 * names the call, its arguments and the error, for example
 * {@code "mmap(length=4194304) failed: errno 12 (ENOMEM)"}.
 */
public class PlatformMemoryException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * Creates an exception.
     *
     * @param message the call, its arguments and the error
     * @param errno the operating system's error number
     */
    public PlatformMemoryException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** @return the operating system's error number ({@code errno}, or {@code GetLastError()}) */
    public int errno() {
        return errno;
    }
}
