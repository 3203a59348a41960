package io.tinyalloc.spi;

/**
 * Virtual memory from the operating system: the only place where tinyalloc makes system calls.
 *
 * <p>Memory moves through these states: <em>reserved</em> (address space, no memory behind
 * it), <em>committed</em> (usable; on systems that overcommit, backed on first touch), and back
 * by {@linkplain #decommit decommit} or {@linkplain #reset reset}, and <em>released</em>.
 * Addresses and sizes given to every method other than {@link #reserve} are multiples of
 * {@link #pageByteSize()} and lie inside one reservation.
 *
 * <p>Implementations are thread-safe. Failures throw {@link PlatformMemoryException} with the
 * operating system's error number.
 */
public interface PlatformMemory {

    /**
     * Returns the operating system's page size: the granularity of every other method.
     *
     * @return the page size in bytes, a power of two
     */
    long pageByteSize();

    /**
     * Reserves address space, aligned as asked. Whether the range can be used before
     * {@link #commit} depends on the platform; the engine always commits first.
     *
     * @param byteSize the size, a multiple of the page size
     * @param byteAlignment the alignment, a power of two (the page size or more)
     * @return the start of the reservation
     * @throws PlatformMemoryException if the operating system refuses
     */
    long reserve(long byteSize, long byteAlignment);

    /**
     * Makes a reserved range usable, readable and writable.
     *
     * @param address the start of the range
     * @param byteSize the size of the range
     * @throws PlatformMemoryException if the operating system refuses
     */
    void commit(long address, long byteSize);

    /**
     * Gives the physical memory behind a range back at once. The range stays reserved; the
     * engine commits it again before using it, after which it reads as zero.
     *
     * @param address the start of the range
     * @param byteSize the size of the range
     * @throws PlatformMemoryException if the operating system refuses
     */
    void decommit(long address, long byteSize);

    /**
     * Tells the operating system that the contents of a range are no longer needed: it may
     * take the memory back lazily, when it needs it ({@code MADV_FREE}). The range stays
     * usable without a commit; its contents are undefined.
     *
     * @param address the start of the range
     * @param byteSize the size of the range
     * @throws PlatformMemoryException if the operating system refuses
     */
    void reset(long address, long byteSize);

    /**
     * Gives a whole reservation, or a part of it at either end, back to the operating system.
     *
     * @param address the start of the range
     * @param byteSize the size of the range
     * @throws PlatformMemoryException if the operating system refuses
     */
    void release(long address, long byteSize);

    /**
     * Changes the access allowed to a committed range, for guard pages.
     *
     * @param address the start of the range
     * @param byteSize the size of the range
     * @param protection the access to allow
     * @throws PlatformMemoryException if the operating system refuses
     */
    void protect(long address, long byteSize, Protection protection);

    /** The access allowed to a range of memory. */
    enum Protection {
        /** No access: any read or write faults. */
        NONE,
        /** Reads only. */
        READ,
        /** Reads and writes. */
        READ_WRITE
    }
}
