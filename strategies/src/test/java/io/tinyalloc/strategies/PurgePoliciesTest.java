package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static io.tinyalloc.strategies.StrategyContexts.withSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicy.PurgeKind;
import io.tinyalloc.spi.PurgePolicyProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PurgePoliciesTest {

    private final PurgePolicyProvider delayed = new DelayedPurgePolicyProvider();
    private final PurgePolicyProvider immediate = new ImmediatePurgePolicyProvider();
    private final PurgePolicyProvider none = new NoPurgePolicyProvider();
    private final PurgePolicyProvider decay = new DecayPurgePolicyProvider();

    @Test
    void delayedPurgesAfter25MillisecondsByDecommitByDefault() {
        PurgePolicy policy = delayed.create(withDefaults(delayed));

        assertEquals(Duration.ofMillis(25).toNanos(), policy.purgeDelayNanos());
        assertEquals(PurgeKind.DECOMMIT, policy.purgeKind());
    }

    @ParameterizedTest
    @CsvSource({
        "0,        decommit, 0",
        "1 ms,     reset,    1000000",
        "250 us,   decommit, 250000",
        "1 h,      reset,    3600000000000",
        "60 m,     decommit, 3600000000000",
    })
    void delayedReadsItsDelayAndKind(String delay, String kind, long expectedDelayNanos) {
        PurgePolicy policy = delayed.create(withSettings(delayed, "delay = " + delay + "\nkind = " + kind));

        assertEquals(expectedDelayNanos, policy.purgeDelayNanos());
        assertEquals(PurgeKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), policy.purgeKind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1 ms", "61 m", "2 h", "1 d"})
    void delayedRejectsADelayOutsideZeroToOneHour(String delay) {
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                () -> delayed.create(withSettings(delayed, "delay = " + delay)));

        assertTrue(e.getMessage().endsWith("Invalid value at 'delay': " + delay
                + " (expected: a duration from 0 to 1 h)"), e.getMessage());
    }

    @Test
    void delayedRejectsADelayThatIsNotADuration() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> delayed.create(withSettings(delayed, "delay = soon")));

        assertTrue(e.getMessage().contains("delay"), e.getMessage());
    }

    @Test
    void immediatePurgesAtOnceByDecommitByDefault() {
        PurgePolicy policy = immediate.create(withDefaults(immediate));

        assertEquals(0, policy.purgeDelayNanos());
        assertEquals(PurgeKind.DECOMMIT, policy.purgeKind());
    }

    @Test
    void immediateReadsItsKind() {
        PurgePolicy policy = immediate.create(withSettings(immediate, "kind = reset"));

        assertEquals(0, policy.purgeDelayNanos());
        assertEquals(PurgeKind.RESET, policy.purgeKind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"shred", "DECOMMIT", "\"\""})
    void delayedAndImmediateRejectAnUnknownKind(String kind) {
        for (PurgePolicyProvider provider : new PurgePolicyProvider[] {delayed, immediate}) {
            ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                    () -> provider.create(withSettings(provider, "kind = " + kind)));

            String written = kind.replace("\"", "");
            assertTrue(e.getMessage().endsWith("Invalid value at 'kind': " + written
                    + " (expected: decommit or reset)"), e.getMessage());
        }
    }

    @Test
    void policiesOfOnePhaseNeverDecommitWhatTheyReset() {
        for (PurgePolicyProvider provider : new PurgePolicyProvider[] {delayed, immediate, none}) {
            assertEquals(PurgePolicy.NEVER, provider.create(withSettings(provider, "")).decommitDelayNanos(),
                    provider.name());
        }
        assertEquals(PurgePolicy.NEVER, delayed.create(withSettings(delayed, "kind = reset")).decommitDelayNanos());
    }

    @Test
    void decayResetsAfter25MillisecondsThenDecommits25MillisecondsLaterByDefault() {
        PurgePolicy policy = decay.create(withDefaults(decay));

        assertEquals(Duration.ofMillis(25).toNanos(), policy.purgeDelayNanos());
        assertEquals(PurgeKind.RESET, policy.purgeKind());
        assertEquals(Duration.ofMillis(25).toNanos(), policy.decommitDelayNanos());
    }

    @ParameterizedTest
    @CsvSource({
        "0,      1 ns,  0,             1",
        "1 ms,   5 s,   1000000,       5000000000",
        "250 us, 1 h,   250000,        3600000000000",
        "1 h,    60 m,  3600000000000, 3600000000000",
    })
    void decayReadsBothDelays(String dirtyDelay, String muzzyDelay, long expectedResetNanos,
            long expectedDecommitNanos) {
        PurgePolicy policy = decay.create(withSettings(decay,
                "dirty-delay = " + dirtyDelay + "\nmuzzy-delay = " + muzzyDelay));

        assertEquals(expectedResetNanos, policy.purgeDelayNanos());
        assertEquals(PurgeKind.RESET, policy.purgeKind());
        assertEquals(expectedDecommitNanos, policy.decommitDelayNanos());
    }

    /** jemalloc's muzzy_decay_ms = 0: no reset phase, a decommit after the dirty delay. */
    @Test
    void decayWithoutAMuzzyDelayDecommitsAfterTheDirtyDelay() {
        PurgePolicy policy = decay.create(withSettings(decay, "dirty-delay = 3 ms\nmuzzy-delay = 0"));

        assertEquals(Duration.ofMillis(3).toNanos(), policy.purgeDelayNanos());
        assertEquals(PurgeKind.DECOMMIT, policy.purgeKind());
        assertEquals(PurgePolicy.NEVER, policy.decommitDelayNanos());
    }

    @ParameterizedTest
    @CsvSource({
        "dirty-delay, -1 ms",
        "dirty-delay, 61 m",
        "muzzy-delay, -5 us",
        "muzzy-delay, 2 h",
    })
    void decayRejectsADelayOutsideZeroToOneHourNamingTheKey(String key, String delay) {
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                () -> decay.create(withSettings(decay, key + " = " + delay)));

        assertTrue(e.getMessage().endsWith("Invalid value at '" + key + "': " + delay
                + " (expected: a duration from 0 to 1 h)"), e.getMessage());
    }

    @Test
    void decayRejectsADelayThatIsNotADuration() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> decay.create(withSettings(decay, "muzzy-delay = later")));

        assertTrue(e.getMessage().contains("muzzy-delay"), e.getMessage());
    }

    @Test
    void noneNeverPurges() {
        PurgePolicy policy = none.create(withDefaults(none));

        assertEquals(PurgePolicy.NEVER, policy.purgeDelayNanos());
        assertTrue(none.defaults().isEmpty());
    }
}
