package io.tinyalloc.core;

/**
 * One step of a model-based test: a call on the allocator. Steps that act on a live block
 * name it by {@code pick}, reduced modulo the number of live blocks when the step runs, so that
 * any sequence of steps is valid and a shrunk sequence still means something.
 */
sealed interface Op {

    /** {@code allocate(byteSize)}. */
    record Allocate(long byteSize) implements Op {
    }

    /** {@code allocate(byteSize, byteAlignment)}. */
    record AllocateAligned(long byteSize, long byteAlignment) implements Op {
    }

    /** {@code allocateZeroed(byteSize)}, then every asked byte is checked to be zero. */
    record AllocateZeroed(long byteSize) implements Op {
    }

    /** {@code allocateSegment(byteSize, byteAlignment)}; the block is later freed as a segment. */
    record AllocateSegment(long byteSize, long byteAlignment) implements Op {
    }

    /** {@code reallocate(block, byteSize)}, or {@code reallocate(0, byteSize)} when nothing is live. */
    record Reallocate(int pick, long byteSize) implements Op {
    }

    /** {@code free(block)}, as an address or as a segment, whichever the block was allocated as. */
    record Free(int pick) implements Op {
    }

    /** {@code usableSize(block)}, which must not change while the block lives. */
    record UsableSize(int pick) implements Op {
    }
}
