package io.tinyalloc.bench.alloc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library's allocator (glibc's ptmalloc on Linux), from the linker's default lookup.
 * Committed bytes come from {@code mallinfo2()}: the bytes glibc holds in its arenas plus its
 * separately mapped large blocks, for the whole process (the JVM's own {@code malloc}s too).
 */
@SuppressWarnings("restricted")   // FFM downcalls and raw addresses are the point; the JVM runs with --enable-native-access
final class GlibcAllocator extends CAllocator {

    static final String NAME = "baseline:glibc";

    private static final SymbolLookup LIBC = Linker.nativeLinker().defaultLookup();
    private static final MallocFunctions FUNCTIONS = MallocFunctions.find("glibc (libc)", LIBC);

    /** {@code struct mallinfo2} from {@code <malloc.h>}: ten {@code size_t} counters. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));
    private static final VarHandle ARENA = MALLINFO2.varHandle(MemoryLayout.PathElement.groupElement("arena"));
    private static final VarHandle HBLKHD = MALLINFO2.varHandle(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final MethodHandle MALLINFO2_FUNCTION = LIBC.find("mallinfo2")
            .map(symbol -> Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);

    GlibcAllocator() {
        super(NAME);
    }

    @Override
    MallocFunctions functions() {
        return FUNCTIONS;
    }

    @Override
    public long committedBytes() {
        if (MALLINFO2_FUNCTION == null) {
            return super.committedBytes();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_FUNCTION.invokeExact((SegmentAllocator) arena);
            return (long) ARENA.get(info, 0L) + (long) HBLKHD.get(info, 0L);
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
    }

    @Override
    public String committedBytesSource() {
        return MALLINFO2_FUNCTION == null ? super.committedBytesSource()
                : "glibc mallinfo2() arena + hblkhd (all of the process's malloc, the JVM's own too)";
    }
}
