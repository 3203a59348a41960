package io.tinyalloc.bench.alloc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The C allocator functions of one library as critical FFM downcalls.
 *
 * <p>Pointers are passed and returned as {@code long}: on the LP64 ABIs that the JDK supports
 * a pointer travels exactly like a 64-bit integer, and a {@code long} spares the
 * {@code MemorySegment} that an {@code ADDRESS} result would wrap it in. Critical downcalls
 * ({@link Linker.Option#critical(boolean)}) skip the thread-state transition: right for
 * functions that neither block for long nor call back into Java.
 *
 * <p>Held in a {@code static final} field of each allocator class, so that the JIT sees the
 * method handles as constants (record fields are trusted) and inlines the downcalls.
 *
 * @param library the library's name, for messages
 */
@SuppressWarnings("restricted")   // FFM downcalls and raw addresses are the point; the JVM runs with --enable-native-access
record MallocFunctions(String library, MethodHandle malloc, MethodHandle calloc, MethodHandle realloc,
        MethodHandle alignedAlloc, MethodHandle free) {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor SIZE_TO_POINTER = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor TWO_TO_POINTER =
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor POINTER_TO_VOID = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);

    /**
     * Finds {@code malloc}, {@code calloc}, {@code realloc}, {@code aligned_alloc} and
     * {@code free} in a library.
     *
     * @throws IllegalStateException if one is missing
     */
    static MallocFunctions find(String library, SymbolLookup lookup) {
        return new MallocFunctions(library,
                downcall(library, lookup, "malloc", SIZE_TO_POINTER),
                downcall(library, lookup, "calloc", TWO_TO_POINTER),
                downcall(library, lookup, "realloc", TWO_TO_POINTER),
                downcall(library, lookup, "aligned_alloc", TWO_TO_POINTER),
                downcall(library, lookup, "free", POINTER_TO_VOID));
    }

    static MethodHandle downcall(String library, SymbolLookup lookup, String function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.findOrThrow(function), descriptor, Linker.Option.critical(false));
    }

    long mallocOrThrow(long byteSize) {
        long address;
        try {
            address = (long) malloc.invokeExact(byteSize);
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
        return checked(address, byteSize);
    }

    long callocOrThrow(long byteSize) {
        long address;
        try {
            address = (long) calloc.invokeExact(1L, byteSize);
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
        return checked(address, byteSize);
    }

    long alignedAllocOrThrow(long byteSize, long byteAlignment) {
        long address;
        try {
            address = (long) alignedAlloc.invokeExact(byteAlignment, byteSize);
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
        return checked(address, byteSize);
    }

    long reallocOrThrow(long address, long byteSize) {
        long newAddress;
        try {
            newAddress = (long) realloc.invokeExact(address, byteSize);
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
        return checked(newAddress, byteSize);
    }

    void freeNow(long address) {
        try {
            free.invokeExact(address);
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
    }

    private long checked(long address, long byteSize) {
        if (address == 0) {
            throw new OutOfMemoryError(library + " returned NULL for " + byteSize + " bytes");
        }
        return address;
    }
}
