package io.tinyalloc.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often, and how much, memory was given back: the purge figures of {@code stats()}; and the
 * allocator's {@link PurgeFailures}, for the places that give memory back.
 */
final class PurgeCounters {

    final PurgeFailures failures = new PurgeFailures();

    private final LongAdder purges = new LongAdder();
    private final LongAdder purgedBytes = new LongAdder();

    void record(long byteSize) {
        purges.increment();
        purgedBytes.add(byteSize);
    }

    long purges() {
        return purges.sum();
    }

    long purgedBytes() {
        return purgedBytes.sum();
    }
}
