package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.MiB;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.core.BlockModel.Block;
import io.tinyalloc.core.TestEngines.Recipe;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against a model of live blocks that holds across threads, over every combination
 * of the strategy matrix that the engine accepts, with each way of delivering remote frees
 * ({@link TestEngines#multiThreadMatrix()}).
 *
 * <p>{@value #THREADS} threads, more than the build machine's 2 cores so that they are preempted
 * mid-operation, each run a seeded random walk: they allocate (plain, zeroed, aligned, as
 * segments), reallocate and free their own blocks, and hand blocks to one another through
 * queues. A thread frees most of the blocks it receives at once and adopts the others, to
 * reallocate, free or hand on later: frees and reallocations by a thread that did not allocate
 * the block. Every block carries the pattern of its serial ({@link Patterns}), checked when it is
 * freed or reallocated.
 *
 * <p>At checkpoints all threads stop, and one checks the whole model while the others wait: no
 * two live blocks overlap (whichever thread holds them, in flight included), every live block
 * still holds its pattern, and {@code stats()} counts exactly the live blocks and their usable
 * bytes (it is exact when no thread allocates or frees). After the threads end the same checks
 * run once more, then the test's own thread frees everything and nothing may be left live.
 *
 * <p>A failure names the combination, the thread, its step and the seed. The seed fixes what
 * each thread does, not how the threads interleave: a replay repeats every thread's steps, and
 * usually, not always, the failure.
 */
@ExtendWith(SeedExtension.class)
class MultiThreadMatrixTest {

    /** More threads than the 2 cores of the build machine. */
    private static final int THREADS = 3;
    private static final int STEPS_PER_THREAD = 2_000;
    /** Steps between two checkpoints of the whole model. */
    private static final int CHECKPOINT_INTERVAL_STEPS = 500;
    /** A thread turns to freeing when it holds this many blocks... */
    private static final int HIGH_WATER_BLOCKS = 150;
    /** ...or when their usable sizes sum to this... */
    private static final long HIGH_WATER_BYTE_SIZE = 8 * MiB;
    /** ...and back to allocating when it holds no more than this many. */
    private static final int LOW_WATER_BLOCKS = 10;
    /** Percent of the steps of a freeing phase that free or hand over a block outright. */
    private static final int DRAIN_PERCENT = 50;
    /** Percent of the blocks a thread receives that it frees at once; it adopts the others. */
    private static final int FREE_RECEIVED_PERCENT = 60;

    static Stream<Recipe> matrix() {
        return TestEngines.multiThreadMatrix().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void threadsThatFreeEachOthersBlocksKeepEveryBlockIntactAndCountersExact(Recipe recipe, Seed seed)
            throws InterruptedException {
        try (Allocator allocator = TestEngines.create(recipe)) {
            Exchange exchange = new Exchange(allocator, recipe, seed);
            exchange.run();
            exchange.checkWholeModel("after the threads ended");
            long freed = exchange.freeEverythingHere();

            AllocatorStats stats = allocator.stats();
            check(stats.liveBlocks() == 0 && stats.liveBytes() == 0, () -> "after the test's thread freed the last "
                    + freed + " blocks, stats() still has " + stats.liveBlocks() + " live blocks of "
                    + stats.liveBytes() + " bytes: " + stats);
            check(stats.crossThreadFrees() > 0, () -> "no cross-thread free was counted: " + stats);
        }
    }

    // ---------------------------------------------------------------- the shared state

    /** The threads, their models, the queues between them, and the checkpoints they meet at. */
    private static final class Exchange {
        private final Allocator allocator;
        private final Recipe recipe;
        private final Set<Long> classByteSizes;
        private final long largestClassByteSize;
        private final AtomicLong serials = new AtomicLong();
        private final List<Worker> workers = new ArrayList<>();
        /** Two phases per checkpoint: all stop, then all wait while worker 0 checks. */
        private final Phaser checkpoints = new Phaser(THREADS);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Exchange(Allocator allocator, Recipe recipe, Seed seed) {
            this.allocator = allocator;
            this.recipe = recipe;
            AllocatorStats stats = allocator.stats();
            this.classByteSizes = stats.sizeClasses().stream().map(AllocatorStats.SizeClassStats::blockByteSize)
                    .collect(Collectors.toUnmodifiableSet());
            this.largestClassByteSize = stats.sizeClasses().getLast().blockByteSize();
            // One generator per thread, split before they start: a generator is not thread-safe.
            SplittableRandom random = seed.random();
            for (int index = 0; index < THREADS; index++) {
                workers.add(new Worker(this, index, random.split()));
            }
        }

        /** Runs the workers to the end, or until one fails; rethrows the first failure with the others. */
        void run() throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (Worker worker : workers) {
                threads.add(Thread.ofPlatform().name("matrix-worker-" + worker.index).start(worker));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(recipe + ": " + failures.getFirst().getMessage(),
                        failures.getFirst());
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
        }

        void fail(Worker worker, int step, Throwable failure) {
            failures.add(new AssertionError("thread " + worker.index + " at step " + step + ": "
                    + (failure instanceof AssertionError ? failure.getMessage() : failure.toString()), failure));
            checkpoints.forceTermination();
        }

        /**
         * Stops every worker at a checkpoint; worker 0 checks the whole model while the others
         * wait. Returns false when the run was stopped by a failure.
         */
        boolean checkpoint(Worker worker, int step) {
            if (checkpoints.arriveAndAwaitAdvance() < 0) {
                return false;
            }
            if (worker.index == 0) {
                try {
                    checkWholeModel("at the checkpoint after step " + step);
                } catch (AssertionError | RuntimeException failure) {
                    fail(worker, step, failure);
                    return false;
                }
            }
            return checkpoints.arriveAndAwaitAdvance() >= 0;
        }

        /**
         * Checks the blocks of every worker and every queue together, while no thread allocates
         * or frees: none overlap, each holds its pattern, and the counters agree.
         */
        void checkWholeModel(String when) {
            BlockModel all = new BlockModel();
            for (Block block : liveBlocks()) {
                try {
                    all.add(block);
                } catch (AssertionError overlap) {
                    throw new AssertionError(when + ", blocks held by different threads overlap: "
                            + overlap.getMessage(), overlap);
                }
                verifyPattern(block, when + ", live block");
            }
            AllocatorStats stats = allocator.stats();
            check(stats.liveBlocks() == all.size(), () -> when + ": stats().liveBlocks() is " + stats.liveBlocks()
                    + ", the threads hold " + all.size() + " live blocks");
            check(stats.liveBytes() == all.usableBytes(), () -> when + ": stats().liveBytes() is " + stats.liveBytes()
                    + ", the usable sizes of the live blocks sum to " + all.usableBytes());
        }

        /** Frees every block still live, from the test's thread; returns how many. */
        long freeEverythingHere() {
            List<Block> live = liveBlocks();
            live.forEach(block -> free(block, "block at the final free"));
            return live.size();
        }

        private List<Block> liveBlocks() {
            List<Block> live = new ArrayList<>();
            for (Worker worker : workers) {
                live.addAll(worker.own.blocks());
                live.addAll(worker.inbox);
            }
            return live;
        }

        /** Checks a block's pattern and frees it, as an address or a segment as it was allocated. */
        void free(Block block, String what) {
            verifyPattern(block, what);
            if (block.segment() != null) {
                allocator.free(block.segment());
            } else {
                allocator.free(block.address());
            }
        }

        /** Checks a block just handed out, fills it with a fresh pattern and returns it. */
        Block added(long address, long byteSize, long byteAlignment, MemorySegment segment, boolean zeroed) {
            check(address != 0, () -> "the allocator returned address 0 for " + byteSize + " bytes");
            long usable = allocator.usableSize(address);
            check(usable >= byteSize, () -> "usableSize is " + usable + ", less than the " + byteSize + " bytes asked");
            boolean naturallyAligned = byteAlignment <= Allocator.MIN_BYTE_ALIGNMENT;
            check(!naturallyAligned || usable > largestClassByteSize || classByteSizes.contains(usable), () -> "usableSize "
                    + usable + " is neither a size class nor above the largest class (" + largestClassByteSize + ")");
            long required = Math.max(byteAlignment, usable == Long.BYTES ? Long.BYTES : Allocator.MIN_BYTE_ALIGNMENT);
            check(address % required == 0, () -> "address 0x" + Long.toHexString(address) + " (usable " + usable
                    + ") is not aligned to " + required);
            if (zeroed) {
                long nonZero = Patterns.firstNonZero(address, byteSize);
                check(nonZero < 0, () -> "allocateZeroed(" + byteSize + ") returned 0x" + Long.toHexString(address)
                        + " whose byte " + nonZero + " is not zero");
            }
            Block block = new Block(address, byteSize, usable, serials.incrementAndGet(), segment);
            Patterns.fill(address, usable, block.serial());
            return block;
        }

        void verifyPattern(Block block, String what) {
            long mismatch = Patterns.firstMismatch(block.address(), block.usableByteSize(), block.serial());
            check(mismatch < 0, () -> what + " " + block + " was overwritten: "
                    + Patterns.describeMismatch(block.address(), mismatch, block.serial()));
        }
    }

    // ---------------------------------------------------------------- one thread

    /**
     * One thread's walk. Its model and counters are touched by its own thread only, and by the
     * checking thread while this one waits at a checkpoint (the phaser orders the two); its inbox
     * is a concurrent queue that any worker adds to.
     */
    private static final class Worker implements Runnable {
        private final Exchange exchange;
        private final int index;
        private final SplittableRandom random;
        private final BlockModel own = new BlockModel();
        private final Queue<Block> inbox = new ConcurrentLinkedQueue<>();
        private boolean filling = true;

        Worker(Exchange exchange, int index, SplittableRandom random) {
            this.exchange = exchange;
            this.index = index;
            this.random = random;
        }

        @Override
        public void run() {
            int step = 0;
            try {
                for (step = 1; step <= STEPS_PER_THREAD; step++) {
                    receive();
                    act();
                    if (own.size() >= HIGH_WATER_BLOCKS || own.usableBytes() >= HIGH_WATER_BYTE_SIZE) {
                        filling = false;
                    } else if (own.size() <= LOW_WATER_BLOCKS) {
                        filling = true;
                    }
                    if (step % CHECKPOINT_INTERVAL_STEPS == 0 && !exchange.checkpoint(this, step)) {
                        return;
                    }
                }
            } catch (Throwable failure) {
                exchange.fail(this, step, failure);
            }
        }

        /** Frees most of what other threads handed over, and adopts the rest. */
        private void receive() {
            for (Block block; (block = inbox.poll()) != null; ) {
                if (random.nextInt(100) < FREE_RECEIVED_PERCENT) {
                    exchange.free(block, "received block at free");
                } else {
                    own.add(block);
                }
            }
        }

        private void act() {
            if (!filling && random.nextInt(100) < DRAIN_PERCENT) {
                if (random.nextInt(100) < FREE_RECEIVED_PERCENT) {
                    freeOwn();
                } else {
                    handOver();
                }
                return;
            }
            long maxByteAlignment = exchange.recipe.maxByteAlignment();
            Allocator allocator = exchange.allocator;
            // In percent of steps: allocate 30, zeroed 6, aligned 8, as a segment 6, reallocate 12,
            // usableSize 6, hand over 12, free 20. Allocations outnumber the rest while filling.
            int roll = random.nextInt(100);
            if (roll < 30) {
                long byteSize = Ops.byteSize(random);
                own.add(exchange.added(allocator.allocate(byteSize), byteSize, 0, null, false));
            } else if (roll < 36) {
                long byteSize = Ops.byteSize(random);
                own.add(exchange.added(allocator.allocateZeroed(byteSize), byteSize, 0, null, true));
            } else if (roll < 44) {
                long byteSize = Ops.smallByteSize(random);
                long byteAlignment = Ops.byteAlignment(random, maxByteAlignment);
                own.add(exchange.added(allocator.allocate(byteSize, byteAlignment), byteSize, byteAlignment, null,
                        false));
            } else if (roll < 50) {
                long byteSize = Ops.byteSize(random);
                long byteAlignment = Ops.byteAlignment(random, maxByteAlignment);
                MemorySegment segment = allocator.allocateSegment(byteSize, byteAlignment);
                check(segment.byteSize() == byteSize, () -> "allocateSegment returned " + segment.byteSize()
                        + " bytes, asked " + byteSize);
                own.add(exchange.added(segment.address(), byteSize, byteAlignment, segment, false));
            } else if (roll < 62) {
                reallocateOwn();
            } else if (roll < 68) {
                usableSizeOfOwn();
            } else if (roll < 80) {
                handOver();
            } else {
                freeOwn();
            }
        }

        private void freeOwn() {
            Block block = own.remove(random.nextInt(Integer.MAX_VALUE));
            if (block != null) {
                exchange.free(block, "own block at free");
            }
        }

        /** Moves one of this thread's blocks to another thread's inbox. */
        private void handOver() {
            Block block = own.remove(random.nextInt(Integer.MAX_VALUE));
            if (block != null) {
                int other = (index + 1 + random.nextInt(THREADS - 1)) % THREADS;
                exchange.workers.get(other).inbox.add(block);
            }
        }

        /** Reallocates one of this thread's blocks, which another thread may have allocated. */
        private void reallocateOwn() {
            Block old = own.remove(random.nextInt(Integer.MAX_VALUE));
            if (old == null) {
                return;
            }
            exchange.verifyPattern(old, "block before reallocate");
            long byteSize = Ops.byteSize(random);
            long address = exchange.allocator.reallocate(old.address(), byteSize);
            long kept = Math.min(old.byteSize(), byteSize);
            long mismatch = Patterns.firstMismatch(address, kept, old.serial());
            check(mismatch < 0, () -> "reallocate(" + old + ", " + byteSize + ") returned 0x" + Long.toHexString(address)
                    + " whose first " + kept + " bytes changed: "
                    + Patterns.describeMismatch(address, mismatch, old.serial()));
            long usable = exchange.allocator.usableSize(address);
            check(usable >= byteSize, () -> "reallocate(" + old + ", " + byteSize + ") returned a block of usable size "
                    + usable);
            // A block kept in place keeps its alignment and usable size, which for an aligned block may be no class.
            long serial = exchange.serials.incrementAndGet();
            Patterns.fill(address, usable, serial);
            own.add(new Block(address, byteSize, usable, serial, null));
        }

        private void usableSizeOfOwn() {
            Block block = own.get(random.nextInt(Integer.MAX_VALUE));
            if (block != null) {
                long usable = exchange.allocator.usableSize(block.address());
                check(usable == block.usableByteSize(), () -> "usableSize of " + block + " is now " + usable);
            }
        }

    }

    /** Fails with the message, which is built only then: checks run on every step of every thread. */
    private static void check(boolean condition, Supplier<String> message) {
        if (!condition) {
            throw new AssertionError(message.get());
        }
    }
}
