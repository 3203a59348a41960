package io.tinyalloc.config.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.config.fuzz.LiveBlocks.Block;
import io.tinyalloc.config.fuzz.LiveBlocks.Owner;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes sequences of {@link Allocator} calls against a model ({@link LiveBlocks}). The input
 * picks a strategy combination, then one call after another with arbitrary sizes (zero, huge,
 * negative), alignments (powers of two and not) and addresses: allocate in every form,
 * reallocate, free (by address, as a segment, from another thread), usable sizes, arenas,
 * stats, close, and misuse. After every call:
 * <ul>
 *   <li>a returned block is not 0, is aligned as promised, has a usable size of at least what
 *       was asked, overlaps no live block, and is zero where {@code allocateZeroed} and arenas
 *       promise it;</li>
 *   <li>every live block keeps the bytes written at both of its ends until it is freed, and a
 *       reallocation keeps what it promises to keep;</li>
 *   <li>a call throws exactly what the {@link Allocator} javadoc says it throws, and nothing
 *       when it says nothing: {@link IllegalArgumentException} for a bad size or alignment or an
 *       address that is not a live block, {@link IllegalStateException} after {@code close()},
 *       {@link AllocationFailedException} only for a request too large to be met;</li>
 *   <li>after a misuse that threw, the allocator goes on working (the following calls check it).</li>
 * </ul>
 *
 * <p>Regression mode ({@code ./mvnw test}) runs the committed inputs under
 * {@code AllocatorCallsFuzzTestInputs/callSequence/}; docs/reliability.md says how to fuzz for longer.
 */
class AllocatorCallsFuzzTest {


    /** Set this system property to print every call before it is made, to follow a crash of the JVM. */
    static final String PRINT_CALLS_PROPERTY = "tinyalloc.fuzz.printCalls";
    private static final boolean PRINT_CALLS = Boolean.getBoolean(PRINT_CALLS_PROPERTY);

    /** The longest sequence one input makes: long enough to fill pages and reuse blocks, short enough to run fast. */
    private static final int MAX_CALLS = 300;

    /** Strategy combinations the input chooses from, each with its segment size (the largest alignment is half of it). */
    private static final List<Combination> COMBINATIONS = List.of(
            new Combination("", 4L << 20),
            new Combination("size-classes.provider = mimalloc\npage-lookup.provider = radix\npurge.provider = immediate",
                    4L << 20),
            new Combination("size-classes.provider = tinyalloc32\npurge.provider = none\nsegment-size = 1 MiB\n"
                    + "page-sizes = [64 KiB, 512 KiB]", 1L << 20),
            new Combination("page-lookup.provider = radix\npurge.delayed.delay = 0 ms\npurge.background = off\n"
                    + "segment-size = 512 KiB\npage-sizes = [64 KiB]\nsize-classes.jemalloc.max-size = 8 KiB\narena-size = 8 MiB", 512L << 10));
    /**
     * Settings common to every combination: large regions are cached up to 64 MiB only, so that
     * reusing a cached region for {@code allocateZeroed} never clears more than that.
     */
    private static final String COMMON_SETTINGS = "large.cache-capacity = 64 MiB\n";

    /** Runs frees on a thread other than the caller's: the cross-thread free path. */
    private static final ExecutorService OTHER_THREAD = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fuzz-other-thread");
        thread.setDaemon(true);
        return thread;
    });

    @AfterAll
    static void stopOtherThread() {
        OTHER_THREAD.shutdownNow();
    }

    @FuzzTest(maxDuration = "30s")
    void callSequence(FuzzedDataProvider data) {
        Combination combination = COMBINATIONS.get(data.consumeInt(0, COMBINATIONS.size() - 1));
        Allocator allocator = TinyAlloc.create(ConfigFactory.parseString(COMMON_SETTINGS + combination.settings()));
        try {
            new Sequence(data, allocator, combination).run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("in " + allocator.describe(), e);
        } finally {
            allocator.close();
        }
    }

    /** A strategy combination, as {@code tinyalloc.conf} lines, and its segment size. */
    private record Combination(String settings, long segmentByteSize) {
        long maxByteAlignment() {
            return segmentByteSize / 2;
        }
    }

    /** Which calls the sequence makes; {@link #next} picks one. */
    private enum Call {
        ALLOCATE, ALLOCATE_ALIGNED, ALLOCATE_ZEROED, ALLOCATE_SEGMENT, REALLOCATE, REALLOCATE_NULL, FREE, FREE_ZERO,
        FREE_SEGMENT, FREE_NULL_SEGMENT, FREE_ON_OTHER_THREAD, USABLE_SIZE, ARENA_OPEN, ARENA_ALLOCATE, ARENA_CLOSE,
        STATS, CLOSE, MISUSE_OUTSIDE_SEGMENTS, MISUSE_OTHER_ALLOCATOR, MISUSE_HEAP_SEGMENT,
        MISUSE_DOUBLE_FREE, MISUSE_INTERIOR_POINTER, MISUSE_NOT_A_BLOCK, MISUSE_REALLOCATE_FREED;

    }

    /** One input's sequence of calls, and the model it is checked against. */
    private static final class Sequence {
        /**
         * The calls to pick from, the common ones three times, so that blocks pile up and get
         * reused; close is one call in about forty, so that most sequences run long before it.
         */
        private static final List<Call> CALLS = Stream.of(Call.values())
                .flatMap(call -> Collections.nCopies(weight(call), call).stream())
                .toList();
        private static final int COMMON_CALL_WEIGHT = 3;
        /**
         * A request this large may fail with {@link AllocationFailedException}; a smaller one must
         * not (the machine has far more memory than a sequence keeps live).
         */
        private static final long MAY_FAIL_ABOVE = 1L << 30;
        /** A block this large is freed at once: a reallocation would copy it and touch all of its memory. */
        private static final long KEEP_AT_MOST = 64L << 20;
        /** Arena segments are zeroed in full, so they stay small. */
        private static final long MAX_ARENA_BYTE_SIZE = 1L << 20;
        private static final long MIN_ALIGNMENT_OF_8_BYTE_BLOCKS = 8;
        /** Addresses that no allocator returns: null page, kernel half, unaligned, beyond 48 bits. */
        private static final List<Long> FOREIGN_ADDRESSES = List.of(1L, 8L, 16L, 4096L, 0x10_0000L, -1L, -16L,
                Long.MIN_VALUE, Long.MAX_VALUE, 1L << 47, (1L << 47) - 16, 1L << 48, 0x7fff_ffff_f000L, 0xffff_8000_0000_0000L);
        private static final List<Long> EDGE_SIZES = List.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 15,
                1L << 62, 1L << 47, 1L << 40, (1L << 31) - 1, 1L << 31, 7L, 8L, 9L, 15L, 16L, 17L);

        private final FuzzedDataProvider data;
        private final Allocator allocator;
        private final Combination combination;
        private final LiveBlocks live = new LiveBlocks();
        private final List<String> history = new ArrayList<>();
        private Arena arena;
        private boolean closed;
        private Allocator other;

        private static int weight(Call call) {
            return switch (call) {
                case ALLOCATE, ALLOCATE_ALIGNED, REALLOCATE, FREE -> COMMON_CALL_WEIGHT;
                default -> 1;
            };
        }

        Sequence(FuzzedDataProvider data, Allocator allocator, Combination combination) {
            this.data = data;
            this.allocator = allocator;
            this.combination = combination;
        }

        void run() {
            try {
                for (int i = 0; i < MAX_CALLS && data.remainingBytes() > 0; i++) {
                    call(data.pickValue(CALLS));
                }
                if (!closed) {
                    live.checkAllStamps("the last call");
                    assertEquals(live.size(), allocator.stats().liveBlocks(), "live blocks in stats()");
                }
                closeArena();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("after the calls\n  " + String.join("\n  ", history), e);
            } finally {
                if (other != null) {
                    other.close();
                }
            }
        }

        private void call(Call call) {
            switch (call) {
                case ALLOCATE -> {
                    long byteSize = size();
                    allocation("allocate(" + byteSize + ")", byteSize, Allocator.MIN_BYTE_ALIGNMENT, false, Owner.CALLER,
                            () -> allocator.allocate(byteSize));
                }
                case ALLOCATE_ALIGNED -> {
                    long byteSize = size();
                    long byteAlignment = alignment();
                    allocation("allocate(" + byteSize + ", " + byteAlignment + ")", byteSize, byteAlignment, false,
                            Owner.CALLER, () -> allocator.allocate(byteSize, byteAlignment));
                }
                case ALLOCATE_ZEROED -> {
                    long byteSize = size();
                    allocation("allocateZeroed(" + byteSize + ")", byteSize, Allocator.MIN_BYTE_ALIGNMENT, true,
                            Owner.CALLER, () -> allocator.allocateZeroed(byteSize));
                }
                case ALLOCATE_SEGMENT -> allocateSegment();
                case REALLOCATE -> reallocate();
                case REALLOCATE_NULL -> {
                    long byteSize = size();
                    allocation("reallocate(0, " + byteSize + ")", byteSize, Allocator.MIN_BYTE_ALIGNMENT, false,
                            Owner.CALLER, () -> allocator.reallocate(0, byteSize));
                }
                case FREE -> pickFreeable().ifPresent(block -> free(block, "free", () -> allocator.free(block.address())));
                case FREE_ZERO -> freeNothing("free(0)", () -> allocator.free(0));
                case FREE_SEGMENT -> pickFreeable().ifPresent(block -> free(block, "free(MemorySegment)",
                        () -> allocator.free(MemorySegment.ofAddress(block.address()).reinterpret(block.byteSize()))));
                case FREE_NULL_SEGMENT -> freeNothing("free(MemorySegment.NULL)", () -> allocator.free(MemorySegment.NULL));
                case FREE_ON_OTHER_THREAD -> pickFreeable().ifPresent(block -> free(block, "free on another thread",
                        () -> onOtherThread(() -> allocator.free(block.address()))));
                case USABLE_SIZE -> usableSize();
                case ARENA_OPEN -> openArena();
                case ARENA_ALLOCATE -> arenaAllocate();
                case ARENA_CLOSE -> closeArena();
                case STATS -> stats();
                case CLOSE -> close();
                case MISUSE_OUTSIDE_SEGMENTS -> misuseOutsideSegments();
                case MISUSE_OTHER_ALLOCATOR -> misuseOtherAllocator();
                case MISUSE_HEAP_SEGMENT -> expectThrows("free(a heap segment)", IllegalArgumentException.class,
                        () -> allocator.free(MemorySegment.ofArray(new byte[16])));
                case MISUSE_DOUBLE_FREE -> misuseFreed("double free", address -> allocator.free(address));
                case MISUSE_REALLOCATE_FREED -> misuseFreed("reallocate of a freed block",
                        address -> allocator.reallocate(address, 16));
                case MISUSE_INTERIOR_POINTER -> misuseInterior();
                case MISUSE_NOT_A_BLOCK -> misuseNotABlock();
            }
        }

        // -------------------------------------------------------------- allocation

        /**
         * Makes an allocating call and checks its outcome: the exceptions its arguments call for,
         * else a block aligned as asked, large enough, overlapping nothing, zeroed if asked.
         */
        private void allocation(String call, long byteSize, long byteAlignment, boolean zeroed, Owner owner,
                LongSupplier allocate) {
            record(call);
            boolean badArguments = byteSize < 0 || !isValidAlignment(byteAlignment);
            long address;
            try {
                address = allocate.getAsLong();
            } catch (IllegalArgumentException e) {
                assertTrue(badArguments, () -> call + " threw " + e);
                return;
            } catch (IllegalStateException e) {
                assertTrue(closed, () -> call + " threw " + e);
                return;
            } catch (AllocationFailedException e) {
                assertTrue(!closed && !badArguments && mayFail(byteSize, byteAlignment), () -> call + " threw " + e);
                return;
            }
            assertTrue(!closed && !badArguments, () -> call + " returned instead of throwing"
                    + (closed ? " IllegalStateException (closed)" : " IllegalArgumentException"));
            added(call, address, byteSize, byteAlignment, zeroed, owner);
        }

        private Block added(String call, long address, long byteSize, long byteAlignment, boolean zeroed, Owner owner) {
            long usable = allocator.usableSize(address);
            assertTrue(usable >= byteSize, () -> call + ": usableSize " + usable + " < " + byteSize);
            long alignment = usable == MIN_ALIGNMENT_OF_8_BYTE_BLOCKS && byteAlignment <= Allocator.MIN_BYTE_ALIGNMENT
                    ? MIN_ALIGNMENT_OF_8_BYTE_BLOCKS : byteAlignment;
            assertEquals(0, address % alignment,
                    () -> call + " returned 0x" + Long.toHexString(address) + ", not aligned to " + alignment);
            if (zeroed) {
                LiveBlocks.checkZero(address, byteSize, call);
            }
            Block block = live.add(address, byteSize, usable, owner, call);
            if (usable > KEEP_AT_MOST && owner != Owner.ARENA) {
                free(block, "free (a huge block, at once)", () -> allocator.free(address));
            }
            return block;
        }

        private void allocateSegment() {
            long byteSize = size();
            long byteAlignment = alignment();
            String call = "allocateSegment(" + byteSize + ", " + byteAlignment + ")";
            record(call);
            boolean badArguments = byteSize < 0 || !isValidAlignment(byteAlignment);
            MemorySegment segment;
            try {
                segment = allocator.allocateSegment(byteSize, byteAlignment);
            } catch (IllegalArgumentException e) {
                assertTrue(badArguments, () -> call + " threw " + e);
                return;
            } catch (IllegalStateException e) {
                assertTrue(closed, () -> call + " threw " + e);
                return;
            } catch (AllocationFailedException e) {
                assertTrue(!closed && !badArguments && mayFail(byteSize, byteAlignment), () -> call + " threw " + e);
                return;
            }
            assertTrue(!closed && !badArguments, () -> call + " returned instead of throwing");
            assertEquals(byteSize, segment.byteSize(), () -> call + ": the segment's size");
            assertTrue(segment.isNative() && segment.scope().isAlive(), () -> call + ": " + segment);
            added(call, segment.address(), byteSize, byteAlignment, false, Owner.CALLER_SEGMENT);
        }

        private void reallocate() {
            var picked = pickFreeable();
            if (picked.isEmpty()) {
                return;
            }
            Block old = picked.get();
            long byteSize = size();
            String call = "reallocate(0x" + Long.toHexString(old.address()) + ", " + byteSize + ")";
            record(call);
            if (!closed) {
                live.checkStamp(old, "the calls before " + call);
            }
            long address;
            try {
                address = allocator.reallocate(old.address(), byteSize);
            } catch (IllegalArgumentException e) {
                assertTrue(byteSize < 0, () -> call + " threw " + e);
                if (!closed) {
                    live.checkStamp(old, call + " that threw");
                }
                return;
            } catch (IllegalStateException e) {
                assertTrue(closed, () -> call + " threw " + e);
                return;
            } catch (AllocationFailedException e) {
                assertTrue(!closed && mayFail(byteSize, Allocator.MIN_BYTE_ALIGNMENT), () -> call + " threw " + e);
                live.checkStamp(old, call + " that failed (the old block must be left as it was)");
                return;
            }
            assertTrue(!closed && byteSize >= 0, () -> call + " returned instead of throwing");
            // The old block may be free already, its first bytes a free-list link: what counts is the copy.
            live.removeMoved(old.address());
            live.checkKept(old, address, byteSize, call);
            added(call, address, byteSize, Allocator.MIN_BYTE_ALIGNMENT, false, Owner.CALLER);
        }

        // -------------------------------------------------------------- free and usable size

        private void free(Block block, String how, Runnable free) {
            String call = how + "(0x" + Long.toHexString(block.address()) + ")";
            record(call);
            if (closed) {
                expectThrows(call + " after close", IllegalStateException.class, free);
                return;
            }
            live.remove(block.address(), call);
            free.run();
        }

        /**
         * Records a call for the failure message, and prints it first if {@value #PRINT_CALLS_PROPERTY}
         * is set: a call that crashes the JVM leaves no failure message.
         */
        private void record(String call) {
            history.add(call);
            if (PRINT_CALLS) {
                System.err.println("fuzz call: " + call);
            }
        }

        /** Frees 0 or {@link MemorySegment#NULL}: nothing, or after close either nothing or {@link IllegalStateException}. */
        private void freeNothing(String call, Runnable free) {
            record(call);
            try {
                free.run();
            } catch (IllegalStateException e) {
                // After close both rules of the javadoc apply ("freeing 0 does nothing", "any method throws").
                assertTrue(closed, () -> call + " threw " + e);
            }
        }

        private void usableSize() {
            pickAny().ifPresent(block -> {
                String call = "usableSize(0x" + Long.toHexString(block.address()) + ")";
                record(call);
                if (closed) {
                    expectThrows(call + " after close", IllegalStateException.class, () -> allocator.usableSize(block.address()));
                    return;
                }
                assertEquals(block.usableByteSize(), allocator.usableSize(block.address()), call + " changed");
            });
        }

        // -------------------------------------------------------------- arenas

        private void openArena() {
            record("ofConfined()");
            closeArena();
            if (closed) {
                expectThrows("ofConfined() after close", IllegalStateException.class, allocator::ofConfined);
                return;
            }
            arena = allocator.ofConfined();
        }

        private void arenaAllocate() {
            if (arena == null) {
                return;
            }
            long byteSize = data.consumeBoolean() ? data.consumeLong(-1, MAX_ARENA_BYTE_SIZE) : data.consumeLong(0, 256);
            long byteAlignment = data.consumeBoolean() ? Allocator.MIN_BYTE_ALIGNMENT : alignment();
            String call = "arena.allocate(" + byteSize + ", " + byteAlignment + ")";
            record(call);
            boolean badArguments = byteSize < 0 || !isValidAlignment(byteAlignment);
            MemorySegment segment;
            try {
                segment = arena.allocate(byteSize, byteAlignment);
            } catch (IllegalArgumentException e) {
                assertTrue(badArguments, () -> call + " threw " + e);
                return;
            } catch (IllegalStateException e) {
                assertTrue(closed, () -> call + " threw " + e);
                return;
            }
            assertTrue(!closed && !badArguments, () -> call + " returned instead of throwing");
            assertEquals(byteSize, segment.byteSize(), () -> call + ": the segment's size");
            assertEquals(arena.scope(), segment.scope(), () -> call + ": the segment's scope");
            added(call, segment.address(), byteSize, byteAlignment, true, Owner.ARENA);
        }

        private void closeArena() {
            if (arena == null) {
                return;
            }
            record("arena.close()");
            Arena closing = arena;
            arena = null;
            if (!closed) {
                live.all().stream().filter(block -> block.owner() == Owner.ARENA)
                        .forEach(block -> live.checkStamp(block, "arena.close()"));
            }
            live.forget(Owner.ARENA);
            if (closed) {
                // The arena frees its blocks through the allocator, which is closed: either may win.
                try {
                    closing.close();
                } catch (IllegalStateException expected) {
                    // the allocator's own
                }
                return;
            }
            closing.close();
        }

        // -------------------------------------------------------------- stats and close

        private void stats() {
            record("stats()");
            if (closed) {
                expectThrows("stats() after close", IllegalStateException.class, allocator::stats);
                return;
            }
            assertEquals(live.size(), allocator.stats().liveBlocks(), "live blocks in stats()");
        }

        private void close() {
            record("close()");
            if (!closed) {
                live.checkAllStamps("close()");
            }
            closed = true;
            allocator.close();
            assertTrue(!allocator.describe().isEmpty(), "describe() after close");
        }

        // -------------------------------------------------------------- misuse

        /** An address outside every segment of the allocator: not its own, whatever the call. */
        private void misuseOutsideSegments() {
            long address = data.pickValue(FOREIGN_ADDRESSES);
            String hex = "0x" + Long.toHexString(address);
            Class<? extends RuntimeException> expected = closed ? IllegalStateException.class : IllegalArgumentException.class;
            switch (data.consumeInt(0, 2)) {
                case 0 -> expectThrows("free(" + hex + ")", expected, () -> allocator.free(address));
                case 1 -> expectThrows("usableSize(" + hex + ")", expected, () -> allocator.usableSize(address));
                default -> expectThrows("reallocate(" + hex + ", 16)", expected, () -> allocator.reallocate(address, 16));
            }
        }

        /** A block of one allocator given to another, both ways. */
        private void misuseOtherAllocator() {
            if (other == null) {
                other = TinyAlloc.create(ConfigFactory.parseString(COMMON_SETTINGS + combination.settings()));
            }
            long foreign = other.allocate(data.consumeLong(0, 1024));
            Class<? extends RuntimeException> expected = closed ? IllegalStateException.class : IllegalArgumentException.class;
            expectThrows("free(0x" + Long.toHexString(foreign) + ") of another allocator's block", expected,
                    () -> allocator.free(foreign));
            other.free(foreign);
            pickFreeable().ifPresent(block -> {
                if (!closed) {
                    expectThrows("another allocator's free(0x" + Long.toHexString(block.address()) + ")",
                            IllegalArgumentException.class, () -> other.free(block.address()));
                    live.checkStamp(block, "another allocator's free");
                }
            });
        }

        private void misuseFreed(String what, LongConsumer misuse) {
            List<Long> freed = live.freed().stream().filter(address -> !live.isInsideLive(address)).toList();
            if (freed.isEmpty()) {
                return;
            }
            long address = freed.get(data.consumeInt(0, freed.size() - 1));
            expectThrows(what + " (0x" + Long.toHexString(address) + ")",
                    closed ? IllegalStateException.class : IllegalArgumentException.class, () -> misuse.accept(address));
        }

        private void misuseInterior() {
            pickFreeable().filter(block -> block.usableByteSize() > 1).ifPresent(block -> {
                long address = block.address() + data.consumeLong(1, block.usableByteSize() - 1);
                expectThrows("free(0x" + Long.toHexString(address) + ") inside " + LiveBlocks.describe(block),
                        closed ? IllegalStateException.class : IllegalArgumentException.class, () -> allocator.free(address));
            });
        }

        /** An address inside the allocator's memory, near a live block, that is no live block. */
        private void misuseNotABlock() {
            pickAny().ifPresent(block -> {
                long address = block.address() + data.consumeLong(-(1L << 20), 1L << 20);
                if (live.isInsideLive(address) || live.freed().contains(address) || address == 0) {
                    return;
                }
                expectThrows("free(0x" + Long.toHexString(address) + ") near " + LiveBlocks.describe(block),
                        closed ? IllegalStateException.class : IllegalArgumentException.class, () -> allocator.free(address));
            });
        }

        // -------------------------------------------------------------- inputs

        /** A size: mostly of the kinds programs ask for, sometimes anything a long can hold. */
        private long size() {
            return anySize();
        }

        private long anySize() {
            return switch (data.consumeInt(0, 7)) {
                case 0 -> data.consumeLong(0, 64);
                case 1 -> data.consumeLong(0, 1024);
                case 2 -> data.consumeLong(0, 64 << 10);
                case 3 -> data.consumeLong(64 << 10, 4 << 20);
                case 4 -> data.consumeLong(4 << 20, 64 << 20);
                case 5 -> data.pickValue(EDGE_SIZES);
                case 6 -> (1L << data.consumeInt(0, 62)) + data.consumeInt(-1, 1);
                default -> data.consumeLong();
            };
        }

        /** An alignment: mostly powers of two up to past the largest, sometimes anything. */
        private long alignment() {
            return switch (data.consumeInt(0, 3)) {
                case 0 -> 1L << data.consumeInt(0, Long.numberOfTrailingZeros(combination.maxByteAlignment()));
                case 1 -> 1L << data.consumeInt(0, 63);
                case 2 -> data.pickValue(List.of(0L, -1L, 3L, 24L, combination.maxByteAlignment(),
                        combination.maxByteAlignment() * 2, Long.MIN_VALUE));
                default -> data.consumeLong();
            };
        }

        private boolean isValidAlignment(long byteAlignment) {
            return byteAlignment > 0 && Long.bitCount(byteAlignment) == 1 && byteAlignment <= combination.maxByteAlignment();
        }

        private static boolean mayFail(long byteSize, long byteAlignment) {
            return byteSize > MAY_FAIL_ABOVE - byteAlignment;
        }

        private Optional<Block> pickFreeable() {
            List<Block> blocks = live.freeable();
            return blocks.isEmpty() ? Optional.empty()
                    : Optional.of(blocks.get(data.consumeInt(0, blocks.size() - 1)));
        }

        private Optional<Block> pickAny() {
            List<Block> blocks = live.all();
            return blocks.isEmpty() ? Optional.empty()
                    : Optional.of(blocks.get(data.consumeInt(0, blocks.size() - 1)));
        }

        // -------------------------------------------------------------- expectations

        private void expectThrows(String call, Class<? extends RuntimeException> expected, Runnable misuse) {
            record(call);
            try {
                misuse.run();
            } catch (RuntimeException e) {
                if (!expected.isInstance(e)) {
                    throw new AssertionError(call + " threw " + e + " (expected: " + expected.getSimpleName() + ")", e);
                }
                if (expected == IllegalArgumentException.class && !namesAnAddress(call, e)) {
                    fail(call + " threw " + e + ", which does not name the address");
                }
                return;
            }
            fail(call + " returned (expected: " + expected.getSimpleName() + ")");
        }

        /** Whether the message of a misuse exception names the address of the call, when the call has one. */
        private static boolean namesAnAddress(String call, RuntimeException e) {
            int hex = call.indexOf("0x");
            if (hex < 0) {
                return true;
            }
            int end = hex + 2;
            while (end < call.length() && Character.digit(call.charAt(end), 16) >= 0) {
                end++;
            }
            return String.valueOf(e.getMessage()).contains(call.substring(hex, end));
        }

        private static void onOtherThread(Runnable action) {
            try {
                OTHER_THREAD.submit(action).get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new AssertionError(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
