package io.tinyalloc.config.faults;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which platform calls fail, and how often, while faults are switched on: every
 * {@code every}-th call of each operation in {@code failing} (counted per operation, from the
 * moment faults were first switched on) throws a
 * {@link io.tinyalloc.spi.PlatformMemoryException} carrying {@code errno}.
 *
 * @param failing the operations that fail
 * @param every one call in this many fails, 1 or more (1: every call)
 * @param errno the error number the failures carry
 */
record FaultSchedule(Set<PlatformOperation> failing, long every, int errno) {

    /** Out of memory: what {@code mmap} and {@code mprotect} return when the system is short of memory. */
    static final int ENOMEM = 12;

    /** The {@code errno} names that {@code tinyalloc.conf} may write, with their Linux numbers. */
    static final Map<String, Integer> ERRNO_BY_NAME = Map.of(
            "EPERM", 1,
            "EAGAIN", 11,
            "ENOMEM", ENOMEM,
            "EACCES", 13,
            "EFAULT", 14,
            "EINVAL", 22);

    /** Copies {@code failing}. */
    FaultSchedule {
        failing = failing.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(failing));
        if (every < 1) {
            throw new IllegalArgumentException("every: " + every + " (expected: 1 or more)");
        }
    }

    /** A schedule that fails every {@code every}-th call of each of {@code failing} with {@code ENOMEM}. */
    static FaultSchedule of(long every, PlatformOperation... failing) {
        return new FaultSchedule(Set.of(failing), every, ENOMEM);
    }

    /** Returns the name of {@code errno}, for example {@code ENOMEM}, or {@code unknown}. */
    static String errnoName(int errno) {
        return ERRNO_BY_NAME.entrySet().stream()
                .filter(entry -> entry.getValue() == errno)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("unknown");
    }
}
