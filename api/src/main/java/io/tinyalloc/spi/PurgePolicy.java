package io.tinyalloc.spi;

/**
 * Decides when memory that became empty is given back to the operating system, and how.
 *
 * <p>When a page or a large cached region empties, the engine stamps it; once
 * {@link #purgeDelayNanos()} has passed without the memory being reused, the engine purges it
 * with {@link #purgeKind()}. Reuse before then re-arms the delay. The engine checks deadlines
 * on its slow paths, and on a background thread when {@code purge.background} is on; never on
 * the fast path.
 */
public interface PurgePolicy {

    /** A delay meaning "never purge before the allocator closes". */
    long NEVER = Long.MAX_VALUE;

    /**
     * Returns how long empty memory stays committed before it is purged.
     *
     * @return the delay in nanoseconds: 0 to purge at once, {@link #NEVER} to keep it
     */
    long purgeDelayNanos();

    /**
     * Returns how memory is given back.
     *
     * @return {@link PurgeKind#DECOMMIT} (the default) or {@link PurgeKind#RESET}
     */
    default PurgeKind purgeKind() {
        return PurgeKind.DECOMMIT;
    }

    /** How purged memory is given back. */
    enum PurgeKind {
        /** {@link PlatformMemory#decommit}: resident memory drops at once. */
        DECOMMIT,
        /** {@link PlatformMemory#reset}: the system takes the memory back when it needs it. */
        RESET
    }
}
