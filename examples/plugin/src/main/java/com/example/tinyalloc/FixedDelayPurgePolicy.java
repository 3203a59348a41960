package com.example.tinyalloc;

import io.tinyalloc.spi.PurgePolicy;
import java.util.Objects;

/**
 * A purge policy whose delay and kind are fixed when the allocator starts.
 *
 * @param purgeDelayNanos the delay before empty memory is purged, in nanoseconds, 0 or more
 * @param purgeKind how the memory is given back
 */
record FixedDelayPurgePolicy(long purgeDelayNanos, PurgeKind purgeKind) implements PurgePolicy {

    /** Checks the delay and the kind. */
    FixedDelayPurgePolicy {
        if (purgeDelayNanos < 0) {
            throw new IllegalArgumentException("purgeDelayNanos: " + purgeDelayNanos + " (expected: 0 or more)");
        }
        Objects.requireNonNull(purgeKind, "purgeKind");
    }
}
