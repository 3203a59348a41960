package io.tinyalloc.spi;

/**
 * Finds the segment, and so the metadata, that an address belongs to, in constant time.
 *
 * <p>Every block lies in a <em>segment</em>: a range that starts with the engine's header. The
 * engine {@linkplain #register registers} each segment when it maps it and
 * {@linkplain #unregister unregisters} it before unmapping it; {@link #segmentOf} is called on
 * every free, from any thread, and must be as cheap as a mask and a load or two.
 */
public interface PageLookup {

    /**
     * Returns the alignment that segments must have for this lookup: the segment size for
     * pointer masking, the OS page size for a page map.
     *
     * @param segmentByteSize the engine's segment size
     * @return the alignment in bytes, a power of two
     */
    long segmentByteAlignment(long segmentByteSize);

    /**
     * Records a segment. Called before any block of it is handed out.
     *
     * @param segmentAddress the start of the segment, aligned as asked
     * @param byteSize the size of the segment, which may exceed the segment size for a large
     *        block
     */
    void register(long segmentAddress, long byteSize);

    /**
     * Forgets a segment. Called after its last block was freed, before it is unmapped.
     *
     * @param segmentAddress the start of the segment
     * @param byteSize its size, as registered
     */
    void unregister(long segmentAddress, long byteSize);

    /**
     * Returns the start of the segment that holds a block address handed out by the engine.
     * Thread-safe without locking.
     *
     * @implSpec The result is defined only for block addresses that lie in a registered
     * segment, within the first segment size bytes of it. A lookup that can tell may return 0
     * for other addresses; one that cannot (masking) returns where the segment would start.
     *
     * @param address a block address
     * @return the start of its segment
     */
    long segmentOf(long address);
}
