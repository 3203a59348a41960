package io.tinyalloc.bench.alloc;

/**
 * jemalloc through FFM downcalls into {@code libjemalloc.so.2}. Committed bytes are the resident set
 * of the whole JVM. Load it only after {@link NativeLibraries#find} found the library.
 */
final class JemallocAllocator extends CAllocator {

    static final String NAME = "baseline:jemalloc";
    static final String LIBRARY = "libjemalloc.so.2";

    private static final MallocFunctions FUNCTIONS = MallocFunctions.find("jemalloc (" + LIBRARY + ")", NativeLibraries.lookupOrThrow(LIBRARY));

    JemallocAllocator() {
        super(NAME);
    }

    @Override
    MallocFunctions functions() {
        return FUNCTIONS;
    }
}
