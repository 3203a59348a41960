package io.tinyalloc.bench.workload;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Lever and Boreham's producer-consumer test (mimalloc-bench {@code xmalloc-test}): for
 * {@code n} threads, {@code n} producers allocate batches of {@value #BLOCKS_PER_BATCH} blocks of
 * sizes from a fixed table, writing up to {@value #WRITTEN_BYTES} bytes of each, and hand each
 * batch through a bounded queue to one of {@code n} consumers, which frees it: every free is in
 * another thread than its allocation. Each round, the producers' batches add up to half the
 * round's operations and the consumers free all of them, so nothing stays live between rounds.
 */
final class XmallocLanes {

    static final int BLOCKS_PER_BATCH = 4_096;
    /** How many batches may wait for a consumer, as in xmalloc-test. */
    static final int QUEUED_BATCHES = 100;
    /** xmalloc-test's sizes, 8 bytes to 2 KiB. */
    private static final int[] BYTE_SIZES = {8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048};
    /** xmalloc-test writes at most this much of each block. */
    static final int WRITTEN_BYTES = 128;
    /** An allocation and its free. */
    private static final int OPS_PER_BLOCK = 2;

    private record Batch(long[] addresses, int[] byteSizes) {
        Batch() {
            this(new long[BLOCKS_PER_BATCH], new int[BLOCKS_PER_BATCH]);
        }
    }

    private XmallocLanes() {
    }

    /** @return {@code pairs} producers, then {@code pairs} consumers */
    static List<Lane> create(BenchAllocator allocator, int pairs, int opsPerRound, long seed) {
        int batchesPerRound = opsPerRound / (OPS_PER_BLOCK * BLOCKS_PER_BATCH);
        BlockingQueue<Batch> full = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        int batchObjects = QUEUED_BATCHES + 2 * pairs;   // queued, and one in the hands of each lane
        BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(batchObjects);
        for (int i = 0; i < batchObjects; i++) {
            empty.add(new Batch());
        }
        int[] batches = Quotas.split(batchesPerRound, pairs);
        List<Lane> lanes = new ArrayList<>();
        for (int producer = 0; producer < pairs; producer++) {
            lanes.add(new Producer(allocator, empty, full, batches[producer], new SplittableRandom(seed + producer)));
        }
        for (int consumer = 0; consumer < pairs; consumer++) {
            lanes.add(new Consumer(allocator, empty, full, batches[consumer]));
        }
        return List.copyOf(lanes);
    }

    private static Batch take(BlockingQueue<Batch> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    private static void put(BlockingQueue<Batch> queue, Batch batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a batch on", e);
        }
    }

    private record Producer(BenchAllocator allocator, BlockingQueue<Batch> empty, BlockingQueue<Batch> full,
            int batchesPerRound, SplittableRandom random) implements Lane {

        @Override
        public void fill() {
        }

        @Override
        public void round() {
            for (int done = 0; done < batchesPerRound; done++) {
                Batch batch = take(empty);
                for (int i = 0; i < BLOCKS_PER_BATCH; i++) {
                    int byteSize = BYTE_SIZES[random.nextInt(BYTE_SIZES.length)];
                    long address = allocator.allocate(byteSize);
                    Blocks.EVERYWHERE.asSlice(address, Math.min(byteSize, WRITTEN_BYTES)).fill((byte) i);
                    Blocks.write(address, byteSize, byteSize);
                    batch.addresses()[i] = address;
                    batch.byteSizes()[i] = byteSize;
                }
                put(full, batch);
            }
        }

        @Override
        public void drain() {
        }
    }

    private record Consumer(BenchAllocator allocator, BlockingQueue<Batch> empty, BlockingQueue<Batch> full,
            int batchesPerRound) implements Lane {

        @Override
        public void fill() {
        }

        @Override
        public void round() {
            for (int done = 0; done < batchesPerRound; done++) {
                Batch batch = take(full);
                for (int i = 0; i < BLOCKS_PER_BATCH; i++) {
                    Blocks.check(batch.addresses()[i], batch.byteSizes()[i], batch.byteSizes()[i]);
                    allocator.free(batch.addresses()[i]);
                }
                put(empty, batch);
            }
        }

        /** Nothing to free: every round frees all that its producers made. */
        @Override
        public void drain() {
        }
    }
}
