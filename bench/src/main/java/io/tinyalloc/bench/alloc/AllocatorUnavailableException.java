package io.tinyalloc.bench.alloc;

import java.io.Serial;

/**
 * Thrown when an allocator under test cannot be opened here: a library is not installed, or
 * tinyalloc's engine is not on the class path. The message says what is missing and how to
 * get it; callers that compare several allocators print it and go on without that one.
 */
public final class AllocatorUnavailableException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates one with its message.
     *
     * @param message what cannot be opened or run here, and why
     */
    public AllocatorUnavailableException(String message) {
        super(message);
    }

    AllocatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
