package io.tinyalloc.spi;

/**
 * Decides when memory that became empty is given back to the operating system, and how.
 *
 * <p>When a page or a large cached region empties, the engine stamps it; once
 * {@link #purgeDelayNanos()} has passed without the memory being reused, the engine purges it
 * with {@link #purgeKind()}. Reuse before then re-arms the delay. The engine checks deadlines
 * on its slow paths, and on a background thread when {@code purge.background} is on; never on
 * the fast path.
 *
 * <p>A policy that purges by {@link PurgeKind#RESET} may add a second phase, as jemalloc's
 * dirty and muzzy decay do: {@link #decommitDelayNanos()} after the reset was due, memory that
 * is still unused is decommitted. Reset memory stays free and is reused first-hand without a
 * system call; decommitting it makes the resident size drop for certain.
 *
 * {@snippet lang = java :
 * // Reset after 10 ms, decommit 10 ms later: jemalloc's two phases at tinyalloc's time scale.
 * record Decay(long purgeDelayNanos, long decommitDelayNanos) implements PurgePolicy {
 *     @Override
 *     public PurgeKind purgeKind() {
 *         return PurgeKind.RESET;
 *     }
 * }
 * PurgePolicy decay = new Decay(10_000_000L, 10_000_000L);
 * }
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

    /**
     * Returns how long memory purged by {@link PurgeKind#RESET} stays reset before it is
     * decommitted: the second phase of a two-phase policy.
     *
     * <p>The delay counts from the reset's deadline, so memory still unused
     * {@code purgeDelayNanos() + decommitDelayNanos()} after it emptied is decommitted. Memory
     * that the engine finds past both deadlines at once is decommitted without being reset
     * first, and nothing is purged twice: memory is reset at most once, then decommitted at most
     * once, until it is reused. Reuse at any point re-arms both delays. The engine ignores this
     * delay when {@link #purgeKind()} is {@link PurgeKind#DECOMMIT} or
     * {@link #purgeDelayNanos()} is {@link #NEVER}.
     *
     * @implSpec The default returns {@link #NEVER}: reset memory stays reset until it is reused
     *           or the allocator closes, which is how every policy behaved before this method.
     *
     * @return the delay in nanoseconds, 0 or more: 0 to decommit as soon as the reset is due
     *         (so memory is decommitted without a reset), {@link #NEVER} for no second phase
     */
    default long decommitDelayNanos() {
        return NEVER;
    }

    /** How purged memory is given back. */
    enum PurgeKind {
        /** {@link PlatformMemory#decommit}: resident memory drops at once. */
        DECOMMIT,
        /** {@link PlatformMemory#reset}: the system takes the memory back when it needs it. */
        RESET
    }
}
