package io.tinyalloc.spi;

/**
 * Decides how a block freed by a thread that does not own its heap goes back to the heap that
 * owns it.
 *
 * <p>Every heap belongs to one thread, which allocates from its pages and frees into them
 * without atomic operations. A block freed by another thread has to be handed over. The
 * {@linkplain #delivery() delivery} says how; it is asked once, when the engine is built, and
 * never on the fast path.
 *
 * <p>{@link Delivery#PER_PAGE} pushes each block on its page's own list with one CAS, as
 * mimalloc does: the block is back at its page at once, but every remote free touches the
 * page's shared cache line, and threads that free into the same page contend on it.
 * {@link Delivery#BATCHED} collects a thread's remote frees per owning heap and sends them as
 * one message of {@link #batchSize()} blocks, with one CAS on the heap's inbox, as snmalloc
 * does: remote frees touch only the freeing thread's memory, and the owner takes a whole
 * message at once, at the cost of blocks that wait in a batch until it fills or is flushed.
 *
 * {@snippet lang = java :
 * // snmalloc-style messages of 64 blocks: what the built-in `batched` provider returns by default.
 * RemoteFree batched = new RemoteFree() {
 *     @Override
 *     public Delivery delivery() {
 *         return Delivery.BATCHED;
 *     }
 *
 *     @Override
 *     public int batchSize() {
 *         return 64;
 *     }
 * };
 * }
 */
public interface RemoteFree {

    /** The fewest blocks a batch may hold before it is sent: fewer would be {@link Delivery#PER_PAGE}. */
    int MIN_BATCH_SIZE = 2;
    /** The most blocks a batch may hold: a message is walked in one go by its owner. */
    int MAX_BATCH_SIZE = 4096;

    /**
     * Returns how blocks freed by other threads reach the heap that owns them.
     *
     * @return {@link Delivery#PER_PAGE} or {@link Delivery#BATCHED}, never {@code null}
     */
    Delivery delivery();

    /**
     * Returns how many blocks a thread collects for one owning heap before it sends them, with
     * {@link Delivery#BATCHED}. Ignored with {@link Delivery#PER_PAGE}.
     *
     * @implSpec The default returns {@link #MIN_BATCH_SIZE}.
     *
     * @return the blocks per message, from {@link #MIN_BATCH_SIZE} to {@link #MAX_BATCH_SIZE}
     */
    default int batchSize() {
        return MIN_BATCH_SIZE;
    }

    /** How a block freed by another thread reaches its heap. */
    enum Delivery {
        /**
         * Each block is pushed on its page's list of remote frees with one CAS (mimalloc): no
         * delay, no memory held by the freeing thread, one atomic operation on a line that the
         * owner and every other freeing thread share, per block.
         */
        PER_PAGE,
        /**
         * Blocks are collected per freeing thread and owning heap, linked through their own
         * memory, and sent as one message with one CAS on the owner's inbox when the batch holds
         * {@link #batchSize()} blocks (snmalloc). A batch that stops growing is sent when its
         * thread next allocates on a slow path, at the engine's maintenance, or when its thread
         * has died. Virtual threads, and engines with {@code secure = on}, deliver per page.
         */
        BATCHED
    }
}
