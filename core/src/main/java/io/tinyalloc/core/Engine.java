package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.SizeClasses;
import java.util.List;

/** Entry point of the engine for the configuration module. */
public final class Engine {

    private Engine() {
    }

    /**
     * Checks that the settings and the strategies fit together: segment and page sizes, and
     * every size class against the pages. Returns one message per problem, each naming the
     * offending value and what was expected, without the key path (the caller adds it).
     *
     * @return the problems found, empty if none
     */
    public static List<String> checkGeometry(EngineSettings settings, SizeClasses sizeClasses, long osPageByteSize) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Builds an allocator. The settings must have passed {@link #checkGeometry}.
     *
     * @throws IllegalArgumentException if the geometry is inconsistent
     * @throws io.tinyalloc.AllocationFailedException if the first arena cannot be reserved
     */
    public static Allocator create(EngineSettings settings, PlatformMemory platform, SizeClasses sizeClasses,
            PageLookup pageLookup, PurgePolicy purgePolicy) {
        throw new UnsupportedOperationException("not yet");
    }
}
