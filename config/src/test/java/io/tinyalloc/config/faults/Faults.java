package io.tinyalloc.config.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The switch a test turns faults on and off with, while allocators built on the
 * {@code fault-injection} platform run. One is open at a time, in the whole JVM: the
 * {@code fault-injection} provider is {@linkplain FaultInjectionProvider#isSupported() supported}
 * only while it is, so that {@code platform.provider = auto} never picks it in other tests.
 *
 * {@snippet lang = java :
 * try (Faults faults = Faults.open();
 *         Allocator allocator = TinyAlloc.create(ConfigFactory.parseString(
 *                 "platform { provider = fault-injection, fault-injection { fail = [commit], every = 3 } }"))) {
 *     faults.switchOn();     // from now on every third commit fails
 *     // ... allocate and free ...
 *     faults.switchOff();    // the platform is the plain delegate again
 * }
 * }
 *
 * <p>Faults start switched off, so that an allocator can be built, unless a test switches
 * them on before it builds one.
 */
final class Faults implements AutoCloseable {

    private static final AtomicReference<Faults> OPEN = new AtomicReference<>();

    /** Read by every platform call of every memory of this session: switched from the test thread. */
    private volatile boolean on;
    private final List<FaultInjectingMemory> memories = new CopyOnWriteArrayList<>();

    private Faults() {
    }

    /**
     * Opens the switch, faults off.
     *
     * @return the switch, to close when the test is done
     * @throws IllegalStateException if another test holds one open
     */
    static Faults open() {
        Faults faults = new Faults();
        if (!OPEN.compareAndSet(null, faults)) {
            throw new IllegalStateException("a Faults switch is already open (expected: one test at a time "
                    + "on the fault-injection platform; close the previous one)");
        }
        return faults;
    }

    /** Returns the open switch, or {@code null} if none is open. */
    static Faults current() {
        return OPEN.get();
    }

    /** From now on, the calls that the schedule of each memory names fail on schedule. */
    void switchOn() {
        on = true;
    }

    /** From now on, every call goes through to the delegate. */
    void switchOff() {
        on = false;
    }

    boolean isOn() {
        return on;
    }

    /** Called by the provider for each memory it creates while this switch is open. */
    void register(FaultInjectingMemory memory) {
        memories.add(memory);
    }

    /**
     * Returns the one memory created while this switch was open: the platform of the one
     * allocator of the test.
     *
     * @throws IllegalStateException if none, or more than one, was created
     */
    FaultInjectingMemory memory() {
        if (memories.size() != 1) {
            throw new IllegalStateException(memories.size() + " fault-injection memories were created while this "
                    + "switch was open (expected: exactly one)");
        }
        return memories.getFirst();
    }

    /** Switches faults off and lets another test open a switch. */
    @Override
    public void close() {
        on = false;
        OPEN.compareAndSet(this, null);
    }
}
