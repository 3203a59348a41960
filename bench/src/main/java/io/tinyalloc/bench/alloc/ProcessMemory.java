package io.tinyalloc.bench.alloc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident memory of this whole process: the committed figure of last resort. */
@SuppressWarnings("restricted")   // FFM downcalls and raw addresses are the point; the JVM runs with --enable-native-access
final class ProcessMemory {

    static final String RESIDENT_BYTES_SOURCE = "resident set of the whole JVM (/proc/self/statm)";

    private static final Path STATM = Path.of("/proc/self/statm");
    /** statm counts pages; its second field is the resident set. */
    private static final int RESIDENT_FIELD = 1;
    /** Asked of the C library: a fixed 4096 is wrong on 16 KiB and 64 KiB page kernels. */
    private static final long PAGE_BYTE_SIZE = pageByteSize();

    private ProcessMemory() {
    }

    static long residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split(" ");
            return Long.parseLong(fields[RESIDENT_FIELD]) * PAGE_BYTE_SIZE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATM + " (expected: Linux)", e);
        }
    }

    private static long pageByteSize() {
        Linker linker = Linker.nativeLinker();
        MethodHandle getpagesize = linker.downcallHandle(linker.defaultLookup().findOrThrow("getpagesize"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        try {
            return (int) getpagesize.invokeExact();
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
    }
}
