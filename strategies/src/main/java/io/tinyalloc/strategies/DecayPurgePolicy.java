package io.tinyalloc.strategies;

import io.tinyalloc.spi.PurgePolicy;

/**
 * A two-phase purge policy: empty memory is reset after one delay and decommitted after a
 * second.
 *
 * @param purgeDelayNanos how long empty memory stays dirty before it is reset, in nanoseconds
 * @param decommitDelayNanos how long reset memory waits before it is decommitted, in
 *        nanoseconds, more than 0 (with no wait, {@link FixedPurgePolicy} decommits directly)
 */
record DecayPurgePolicy(long purgeDelayNanos, long decommitDelayNanos) implements PurgePolicy {

    /** Checks both delays. */
    DecayPurgePolicy {
        if (purgeDelayNanos < 0) {
            throw new IllegalArgumentException("purgeDelayNanos: " + purgeDelayNanos + " (expected: 0 or more)");
        }
        if (decommitDelayNanos <= 0) {
            throw new IllegalArgumentException("decommitDelayNanos: " + decommitDelayNanos + " (expected: more than 0)");
        }
    }

    /** @return {@link PurgeKind#RESET}: the first phase leaves the memory to the system's discretion */
    @Override
    public PurgeKind purgeKind() {
        return PurgeKind.RESET;
    }
}
