package io.tinyalloc.config.faults;

import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PlatformMemory} that passes every call to a real one, and while its {@link Faults}
 * switch is on, fails the calls its {@link FaultSchedule} names instead: a failed call throws
 * {@link PlatformMemoryException} without reaching the delegate, so the memory stays exactly as
 * it was, as after a real refused system call.
 *
 * <p>It also keeps a ledger of the address space it holds from the delegate (reserved minus
 * released, for the calls that succeeded), which tests compare with the allocator's own figures
 * to find regions that the allocator lost track of.
 */
final class FaultInjectingMemory implements PlatformMemory {

    private final PlatformMemory delegate;
    private final FaultSchedule schedule;
    private final Faults faults;
    /** Calls made while faults were on, per operation: the schedule counts these. */
    private final Map<PlatformOperation, AtomicLong> callsWhileOn = new EnumMap<>(PlatformOperation.class);
    private final Map<PlatformOperation, AtomicLong> failures = new EnumMap<>(PlatformOperation.class);
    private final AtomicLong heldByteSize = new AtomicLong();

    FaultInjectingMemory(PlatformMemory delegate, FaultSchedule schedule, Faults faults) {
        this.delegate = delegate;
        this.schedule = schedule;
        this.faults = faults;
        for (PlatformOperation operation : PlatformOperation.values()) {
            callsWhileOn.put(operation, new AtomicLong());
            failures.put(operation, new AtomicLong());
        }
    }

    @Override
    public long pageByteSize() {
        return delegate.pageByteSize();
    }

    @Override
    public long reserve(long byteSize, long byteAlignment) {
        failIfScheduled(PlatformOperation.RESERVE, 0, byteSize);
        long address = delegate.reserve(byteSize, byteAlignment);
        heldByteSize.addAndGet(byteSize);
        return address;
    }

    @Override
    public void commit(long address, long byteSize) {
        failIfScheduled(PlatformOperation.COMMIT, address, byteSize);
        delegate.commit(address, byteSize);
    }

    @Override
    public void decommit(long address, long byteSize) {
        failIfScheduled(PlatformOperation.DECOMMIT, address, byteSize);
        delegate.decommit(address, byteSize);
    }

    @Override
    public void reset(long address, long byteSize) {
        failIfScheduled(PlatformOperation.RESET, address, byteSize);
        delegate.reset(address, byteSize);
    }

    @Override
    public void release(long address, long byteSize) {
        failIfScheduled(PlatformOperation.RELEASE, address, byteSize);
        delegate.release(address, byteSize);
        heldByteSize.addAndGet(-byteSize);
    }

    @Override
    public void protect(long address, long byteSize, Protection protection) {
        failIfScheduled(PlatformOperation.PROTECT, address, byteSize);
        delegate.protect(address, byteSize, protection);
    }

    private void failIfScheduled(PlatformOperation operation, long address, long byteSize) {
        if (!faults.isOn() || !schedule.failing().contains(operation)) {
            return;
        }
        if (callsWhileOn.get(operation).incrementAndGet() % schedule.every() != 0) {
            return;
        }
        failures.get(operation).incrementAndGet();
        throw new PlatformMemoryException(operation.configName() + "(address=0x" + Long.toHexString(address)
                + ", length=" + byteSize + ") failed: errno " + schedule.errno() + " ("
                + FaultSchedule.errnoName(schedule.errno()) + ", injected)", schedule.errno());
    }

    /** Returns the schedule this memory fails on. */
    FaultSchedule schedule() {
        return schedule;
    }

    /** Returns how many calls of {@code operation} this memory failed so far. */
    long failures(PlatformOperation operation) {
        return failures.get(operation).get();
    }

    /** Returns how many calls of any operation this memory failed so far. */
    long failures() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /**
     * Returns the address space this memory holds from its delegate: every successful reserve,
     * less every successful release, in bytes.
     */
    long heldByteSize() {
        return heldByteSize.get();
    }

    @Override
    public String toString() {
        return "FaultInjectingMemory[" + schedule + ", failures " + failures + ", held " + heldByteSize + " bytes]";
    }
}
