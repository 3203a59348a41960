package io.tinyalloc.bench.alloc;

/**
 * tcmalloc through FFM downcalls into {@code libtcmalloc_minimal.so.4}. Committed bytes are the resident set
 * of the whole JVM. Load it only after {@link NativeLibraries#find} found the library.
 */
final class TcmallocAllocator extends CAllocator {

    static final String NAME = "baseline:tcmalloc";
    static final String LIBRARY = "libtcmalloc_minimal.so.4";

    private static final MallocFunctions FUNCTIONS = MallocFunctions.find("tcmalloc (" + LIBRARY + ")", NativeLibraries.lookupOrThrow(LIBRARY));

    TcmallocAllocator() {
        super(NAME);
    }

    @Override
    MallocFunctions functions() {
        return FUNCTIONS;
    }
}
