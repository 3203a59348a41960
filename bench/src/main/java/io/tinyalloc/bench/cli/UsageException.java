package io.tinyalloc.bench.cli;

import java.io.Serial;

/**
 * An argument that names nothing usable: a missing file, an unknown workload or baseline. The
 * command exits with {@link TinyAllocCommand#EXIT_USAGE}; the message names the argument and what
 * was expected.
 */
final class UsageException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
