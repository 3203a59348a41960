package io.tinyalloc.bench.trace;

/**
 * The kinds of operation in a {@link Trace}, one byte each. Every operation names an object
 * by its id; what else it carries depends on its kind.
 */
public final class TraceOp {

    /** {@code malloc}, {@code new}, {@code realloc} of NULL: a new object of a byte size. */
    public static final byte ALLOCATE = 0;

    /** {@code calloc}: a new object of a byte size, all of it zero. */
    public static final byte ALLOCATE_ZEROED = 1;

    /** {@code memalign}, {@code posix_memalign}, aligned {@code new}: a byte size and alignment. */
    public static final byte ALLOCATE_ALIGNED = 2;

    /** {@code realloc} of a live object to a new byte size; the object keeps its id. */
    public static final byte REALLOCATE = 3;

    /** {@code free}, {@code delete}, {@code realloc} to zero bytes: the object dies. */
    public static final byte FREE = 4;

    private static final String[] NAMES = {"allocate", "allocate-zeroed", "allocate-aligned", "reallocate", "free"};

    private TraceOp() {
    }

    /**
     * Returns the name of an operation kind, for messages.
     *
     * @param kind one of the constants of this class
     * @return its name
     */
    public static String name(byte kind) {
        return kind >= 0 && kind < NAMES.length ? NAMES[kind] : "unknown(" + kind + ")";
    }
}
