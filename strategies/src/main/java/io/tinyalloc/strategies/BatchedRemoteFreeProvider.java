package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code batched} remote-free delivery, as in snmalloc: a thread collects the blocks it frees
 * into heaps it does not own, one batch per owning heap, and sends a batch as one message with
 * one CAS on the owner's inbox once it holds {@code batch-size} blocks. Remote frees then touch
 * only the freeing thread's memory, which pays off when threads free many blocks that others
 * allocated (producer and consumer, thread pools handing buffers over); the price is blocks
 * that wait in a batch until it fills, or until it is flushed on its thread's next allocation
 * slow path, at the engine's maintenance or after its thread died.
 *
 * <p>Settings ({@code remote-free.batched}):
 * <ul>
 *   <li>{@code batch-size}: blocks per message, an integer from
 *       {@value RemoteFree#MIN_BATCH_SIZE} to {@value RemoteFree#MAX_BATCH_SIZE}, default 64.
 * </ul>
 */
public final class BatchedRemoteFreeProvider implements RemoteFreeProvider {

    private static final String NAME = "batched";
    private static final String BATCH_SIZE_PATH = "batch-size";
    private static final Config DEFAULTS = Defaults.load(BatchedRemoteFreeProvider.class, "batched-remote-free.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public BatchedRemoteFreeProvider() {
    }

    /** @return {@code "batched"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code batch-size = 64} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConfigException.WrongType if {@code batch-size} is not an integer
     * @throws ConfigException.BadValue if {@code batch-size} is not between
     *         {@value RemoteFree#MIN_BATCH_SIZE} and {@value RemoteFree#MAX_BATCH_SIZE}
     */
    @Override
    public RemoteFree create(StrategyContext context) {
        int batchSize = readBatchSize(context.settings());
        return new Batched(batchSize);
    }

    private static int readBatchSize(Config settings) {
        int batchSize = settings.getInt(BATCH_SIZE_PATH);
        if (batchSize < RemoteFree.MIN_BATCH_SIZE || batchSize > RemoteFree.MAX_BATCH_SIZE) {
            ConfigValue value = settings.getValue(BATCH_SIZE_PATH);
            throw new ConfigException.BadValue(value.origin(), BATCH_SIZE_PATH, value.unwrapped()
                    + " (expected: an integer from " + RemoteFree.MIN_BATCH_SIZE + " to " + RemoteFree.MAX_BATCH_SIZE
                    + " blocks)");
        }
        return batchSize;
    }

    @Override
    public String toString() {
        return "BatchedRemoteFreeProvider[" + NAME + "]";
    }

    /** Batched delivery with a fixed batch size. */
    private record Batched(int batchSize) implements RemoteFree {

        @Override
        public Delivery delivery() {
            return Delivery.BATCHED;
        }
    }
}
