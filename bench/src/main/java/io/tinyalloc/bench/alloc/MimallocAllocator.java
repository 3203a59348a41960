package io.tinyalloc.bench.alloc;

/**
 * mimalloc through FFM downcalls into {@code libmimalloc.so.2}. Committed bytes are the resident set
 * of the whole JVM. Load it only after {@link NativeLibraries#find} found the library.
 */
final class MimallocAllocator extends CAllocator {

    static final String NAME = "baseline:mimalloc";
    static final String LIBRARY = "libmimalloc.so.2";

    private static final MallocFunctions FUNCTIONS = MallocFunctions.find("mimalloc (" + LIBRARY + ")", NativeLibraries.lookupOrThrow(LIBRARY));

    MimallocAllocator() {
        super(NAME);
    }

    @Override
    MallocFunctions functions() {
        return FUNCTIONS;
    }
}
