package io.tinyalloc.bench.alloc;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/** Loads the optional C allocators' shared libraries, saying why one cannot be loaded. */
@SuppressWarnings("restricted")   // FFM downcalls and raw addresses are the point; the JVM runs with --enable-native-access
final class NativeLibraries {

    private NativeLibraries() {
    }

    /**
     * Loads a library for the life of the JVM.
     *
     * @param library a file name that the dynamic loader resolves, e.g. {@code libmimalloc.so.2}
     * @return its symbols
     * @throws IllegalArgumentException with the loader's message if it cannot be loaded
     */
    static SymbolLookup lookupOrThrow(String library) {
        return SymbolLookup.libraryLookup(library, Arena.global());
    }

    /**
     * Says why a library cannot be loaded.
     *
     * @return the loader's message, or {@code null} if it loads
     */
    static String loadFailure(String library) {
        try {
            lookupOrThrow(library);
            return null;
        } catch (IllegalArgumentException cannotLoad) {
            return cannotLoad.getMessage();
        }
    }
}
