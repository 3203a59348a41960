package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guards {@link Heap#claimFromDeadOwner}: a thread that saw a heap's owner dead must not take the
 * heap if, before its CAS, the heap was reclaimed and adopted by a live thread (OWNED again: the
 * ABA that let two threads share one heap and crashed the mstress workloads). The interleaving
 * is played out step by step on one thread, as the adopter and maintenance would make it.
 */
class HeapAdoptionTest {

    private static final int HEAP_INDEX = 0;

    private Allocator allocator;
    private Thread deadOwner;

    @BeforeEach
    void createEngineAndADeadThread() throws InterruptedException {
        allocator = TestEngines.create();
        deadOwner = Thread.ofPlatform().start(() -> { });
        deadOwner.join();
    }

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void aHeapThatChangedHandsSinceItsOwnerWasSeenDeadIsLeftToItsNewOwner() {
        Heap heap = new Heap((EngineAllocator) allocator, HEAP_INDEX, deadOwner);
        // Seen dead by a would-be adopter, which is then overtaken: another thread claims the heap,
        // and a live thread adopts it, as HeapRegistry.adoptUnowned does.
        assertTrue(heap.claimFromDeadOwner(deadOwner), "the first claim of a dead owner's heap");
        Thread liveOwner = Thread.currentThread();
        heap.adopt(liveOwner);
        heap.state.set(Heap.OWNED);

        assertFalse(heap.claimFromDeadOwner(deadOwner), "a claim based on a stale look took a live thread's heap");
        assertEquals(Heap.OWNED, heap.state.get(), "the heap's state after a refused claim");
        assertSame(liveOwner, heap.owner(), "the heap's owner after a refused claim");
    }

    @Test
    void aDeadOwnersHeapIsClaimedOnce() {
        Heap heap = new Heap((EngineAllocator) allocator, HEAP_INDEX, deadOwner);

        assertTrue(heap.claimFromDeadOwner(deadOwner));
        assertEquals(Heap.BUSY, heap.state.get());
        assertFalse(heap.claimFromDeadOwner(deadOwner), "claimed twice");
    }
}
