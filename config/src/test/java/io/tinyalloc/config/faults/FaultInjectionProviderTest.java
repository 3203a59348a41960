package io.tinyalloc.config.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import org.junit.jupiter.api.Test;

/**
 * The {@code fault-injection} platform itself: it fails exactly what its schedule says, only
 * while its switch is on, without reaching the real platform; {@code auto} never picks it; its
 * settings are checked like any provider's.
 */
class FaultInjectionProviderTest {

    private static final long EVERY = 3;

    /** Guards the schedule: one commit in three fails with the errno, other calls and calls made while off pass. */
    @Test
    void failsEveryNthCallOfTheScheduledOperationOnlyWhileSwitchedOn() {
        try (Faults faults = Faults.open()) {
            PlatformMemory memory = new FaultInjectionProvider().create(ConfigFactory.parseString(
                    "fail = [commit], every = " + EVERY).withFallback(new FaultInjectionProvider().defaults()));
            long page = memory.pageByteSize();
            long region = memory.reserve(EVERY * page, page);
            memory.commit(region, page);                                  // off: not counted
            faults.switchOn();
            memory.commit(region, page);
            memory.commit(region + page, page);
            PlatformMemoryException e = assertThrows(PlatformMemoryException.class,
                    () -> memory.commit(region + 2 * page, page), "the third commit while on");
            assertEquals(FaultSchedule.ENOMEM, e.errno());
            assertTrue(e.getMessage().contains("errno 12 (ENOMEM"), e.getMessage());
            memory.decommit(region, page);                                // not scheduled
            memory.commit(region, page);                                  // the fourth: passes again
            faults.switchOff();
            memory.release(region, EVERY * page);
            FaultInjectingMemory injecting = faults.memory();
            assertEquals(1, injecting.failures(PlatformOperation.COMMIT), injecting::toString);
            assertEquals(1, injecting.failures(), injecting::toString);
            assertEquals(0, injecting.heldByteSize(), injecting::toString);
        }
    }

    /** Guards the ledger: a failed reserve never reaches the delegate, so nothing is held. */
    @Test
    void aFailedReserveMapsNothing() {
        try (Faults faults = Faults.open()) {
            PlatformMemory memory = new FaultInjectionProvider().create(ConfigFactory.parseString(
                    "fail = [reserve]").withFallback(new FaultInjectionProvider().defaults()));
            faults.switchOn();
            assertThrows(PlatformMemoryException.class, () -> memory.reserve(memory.pageByteSize(), memory.pageByteSize()));
            assertEquals(0, faults.memory().heldByteSize());
        }
    }

    /** Guards the other tests of this module: with no switch open, {@code auto} still finds the real platform alone. */
    @Test
    void autoNeverTakesItAndByNameItNeedsAnOpenSwitch() {
        assertFalse(new FaultInjectionProvider().isSupported());
        try (Allocator allocator = TinyAlloc.create(ConfigFactory.empty())) {
            assertTrue(allocator.describe().contains("platform=linux"), allocator.describe());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TinyAlloc.create(ConfigFactory.parseString("platform.provider = fault-injection")),
                "a strategy not supported here (TinyAlloc.create's documented exception)");
        assertTrue(e.getMessage().contains("fault-injection"), e.getMessage());
    }

    /** Guards the settings check: a value out of range is a {@link ConfigException} that says what is allowed. */
    @Test
    void badSettingsNameTheKeyAndWhatIsAllowed() {
        try (Faults faults = Faults.open()) {
            assertBadSetting("every = 0", "every", "an integer, 1 or more");
            assertBadSetting("fail = [comit]", "fail", "reserve, commit, decommit, reset, release, protect");
            assertBadSetting("errno = ENOPE", "errno", "ENOMEM");
            assertBadSetting("delegate = fault-injection", "delegate", "other than fault-injection");
        }
    }

    private static void assertBadSetting(String setting, String key, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> TinyAlloc.create(ConfigFactory.parseString(
                "platform { provider = fault-injection, fault-injection { " + setting + " } }")).close(), setting);
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(expected),
                setting + " gave '" + e.getMessage() + "' (expected: a message naming " + key + " and " + expected + ")");
    }
}
