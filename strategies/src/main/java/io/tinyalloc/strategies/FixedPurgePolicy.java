package io.tinyalloc.strategies;

import io.tinyalloc.spi.PurgePolicy;
import java.util.Objects;

/**
 * A purge policy with a fixed delay and kind, read once from the settings.
 *
 * @param purgeDelayNanos the delay before empty memory is purged, in nanoseconds; 0 for at
 *        once, {@link PurgePolicy#NEVER} for never
 * @param purgeKind how the memory is given back
 */
record FixedPurgePolicy(long purgeDelayNanos, PurgeKind purgeKind) implements PurgePolicy {

    /** Checks the delay and the kind. */
    FixedPurgePolicy {
        if (purgeDelayNanos < 0) {
            throw new IllegalArgumentException("purgeDelayNanos: " + purgeDelayNanos + " (expected: 0 or more)");
        }
        Objects.requireNonNull(purgeKind, "purgeKind");
    }
}
