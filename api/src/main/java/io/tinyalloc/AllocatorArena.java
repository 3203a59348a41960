package io.tinyalloc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Arena} whose memory comes from an {@link Allocator}. The scope (and with it the
 * confinement and the liveness checks) is borrowed from a JDK arena; the addresses are
 * remembered and freed when the arena closes, after the scope is invalidated so that no
 * segment can reach them any more.
 */
final class AllocatorArena implements Arena {

    private final Allocator allocator;
    private final Arena scope;
    /** The thread allowed to allocate, or null when the arena is shared. */
    private final Thread owner;
    private final List<Long> addresses = new ArrayList<>();

    private AllocatorArena(Allocator allocator, Arena scope, Thread owner) {
        this.allocator = allocator;
        this.scope = scope;
        this.owner = owner;
    }

    static Arena confined(Allocator allocator) {
        return new AllocatorArena(allocator, Arena.ofConfined(), Thread.currentThread());
    }

    static Arena shared(Allocator allocator) {
        return new AllocatorArena(allocator, Arena.ofShared(), null);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (owner != null && owner != Thread.currentThread()) {
            throw new WrongThreadException("Attempted access outside owning thread");
        }
        checkAlive();
        long address = allocator.allocate(byteSize, byteAlignment);
        synchronized (addresses) {
            // Checked again under the lock: close() frees under it, after the scope died.
            if (!scope.scope().isAlive()) {
                allocator.free(address);
                checkAlive();
            }
            addresses.add(address);
        }
        return MemorySegment.ofAddress(address).reinterpret(byteSize, scope, null).fill((byte) 0);
    }

    private void checkAlive() {
        if (!scope.scope().isAlive()) {
            throw new IllegalStateException("Already closed");
        }
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    @Override
    public void close() {
        scope.close();
        // The scope is dead: no segment of this arena can be accessed, so the blocks can go.
        synchronized (addresses) {
            for (long address : addresses) {
                allocator.free(address);
            }
            addresses.clear();
        }
    }
}
