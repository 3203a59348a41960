package io.tinyalloc.bench.plugin;

import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import java.nio.file.Path;

/**
 * The application of {@link ExternalPluginTest}, run in a fresh JVM: creates an allocator from
 * the {@code tinyalloc.conf} given as its argument, allocates and frees a few blocks, and prints
 * the block size each request got and {@link Allocator#describe()}. When the allocator cannot be
 * created it prints the error's message, and those of the errors it suppressed, and exits with
 * {@value #EXIT_FAILED}.
 */
final class PluginProbe {

    /** The exit status when the allocator cannot be created. */
    static final int EXIT_FAILED = 1;
    /** Printed before the block size of each request, as in {@code usable 100 -> 128}. */
    static final String USABLE_PREFIX = "usable ";
    /** Printed before the description. */
    static final String DESCRIBE_PREFIX = "describe ";

    /** Requests that the example table and the default one round differently. */
    private static final long[] REQUEST_BYTE_SIZES = {100, 3000, 20_000};

    private PluginProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the path of the {@code tinyalloc.conf} file
     */
    public static void main(String[] args) {
        Allocator allocator;
        try {
            allocator = TinyAlloc.create(Path.of(args[0]));
        } catch (RuntimeException e) {
            printWithSuppressed(e);
            System.exit(EXIT_FAILED);
            return;
        }
        try (allocator) {
            for (long byteSize : REQUEST_BYTE_SIZES) {
                long address = allocator.allocate(byteSize);
                System.out.println(USABLE_PREFIX + byteSize + " -> " + allocator.usableSize(address));
                allocator.free(address);
            }
            System.out.println(DESCRIBE_PREFIX + allocator.describe());
        }
    }

    /**
     * Prints what a user sees of a start-up error without the stack frames: a configuration
     * that is invalid and also names a missing strategy throws the invalid-configuration error
     * with the missing-strategy error suppressed in it.
     */
    private static void printWithSuppressed(Throwable error) {
        System.err.println(error.getClass().getName() + ": " + error.getMessage());
        for (Throwable suppressed : error.getSuppressed()) {
            System.err.println("Suppressed: " + suppressed.getClass().getName() + ": " + suppressed.getMessage());
        }
    }
}
