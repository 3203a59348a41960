package io.tinyalloc.platform.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.tinyalloc.spi.PlatformMemoryException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls behind {@link LinuxMemory}, one method per call, each throwing a
 * {@link PlatformMemoryException} that names the call, its arguments and {@code errno} when the
 * call fails.
 *
 * <p>The method handles are linked once, when this class is initialized. Every handle captures
 * {@code errno} ({@link Linker.Option#captureCallState}) into a segment passed as its first
 * argument, because anything the JVM does between the call and a later read could overwrite
 * the thread's {@code errno}.
 *
 * <p>None of the handles is {@linkplain Linker.Option#critical critical}, on purpose. A critical
 * call skips the thread-state transition, which saves nanoseconds on calls that cost
 * microseconds, and in exchange keeps the whole JVM from reaching a safepoint until it returns.
 * {@code madvise} and {@code munmap} tear down page tables and free every resident page of
 * their range: on tens of megabytes that takes milliseconds, a pause that would hit every
 * thread. ({@code critical} and {@code captureCallState} could be combined; the trade does not
 * pay.)
 *
 * <p>Pointers are passed as {@code ADDRESS}; {@code size_t} and {@code off_t} as
 * {@code JAVA_LONG}, which is exact on the LP64 ABIs that {@link LinuxMemoryProvider} accepts.
 */
final class LinuxSyscalls {

    // Values of <sys/mman.h> from the Linux UAPI (include/uapi/asm-generic/mman-common.h and
    // mman.h). x86_64 and aarch64 both use the generic values; MIPS, PowerPC, SPARC and Alpha
    // do not (MAP_ANONYMOUS is 0x800 on MIPS, MAP_NORESERVE 0x40 on PowerPC), which is one
    // reason the provider accepts only those two architectures.

    /** Page may not be accessed. */
    static final int PROT_NONE = 0x0;
    /** Page may be read. */
    static final int PROT_READ = 0x1;
    /** Page may be written. */
    static final int PROT_WRITE = 0x2;
    /** Copy-on-write mapping, private to this process. */
    static final int MAP_PRIVATE = 0x02;
    /** Mapping backed by no file, zero-filled on first touch. */
    static final int MAP_ANONYMOUS = 0x20;
    /** Reserve no swap for the mapping: address space is cheap until pages are touched. */
    static final int MAP_NORESERVE = 0x4000;
    /** Free the pages of the range now; the next touch maps zero-filled pages. */
    static final int MADV_DONTNEED = 4;
    /** The kernel may free the pages when it needs memory (Linux 4.5 and later). */
    static final int MADV_FREE = 8;

    /** {@code _SC_PAGESIZE} of {@code <unistd.h>}: 30 in both glibc and musl. */
    static final int SC_PAGESIZE = 30;

    /** What {@code mmap} returns on failure: {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;
    /** The {@code fd} argument of an anonymous mapping. */
    private static final int NO_FILE_DESCRIPTOR = -1;
    /** The {@code offset} argument of an anonymous mapping. */
    private static final long NO_FILE_OFFSET = 0L;
    /** What {@code munmap}, {@code madvise} and {@code mprotect} return on success. */
    private static final int SUCCESS = 0;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(PathElement.groupElement("errno"));

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}. */
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** {@code int munmap(void *addr, size_t length)}. */
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code int madvise(void *addr, size_t length, int advice)}. */
    private static final MethodHandle MADVISE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** {@code int mprotect(void *addr, size_t length, int prot)}. */
    private static final MethodHandle MPROTECT = downcall("mprotect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** {@code long sysconf(int name)}. */
    private static final MethodHandle SYSCONF = downcall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    private LinuxSyscalls() {
    }

    /**
     * Maps private, anonymous, readable and writable memory without reserving swap for it.
     *
     * @param length the size in bytes
     * @return the start of the mapping, page-aligned
     * @throws PlatformMemoryException if {@code mmap} fails
     */
    static long mmapAnonymous(long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE_LAYOUT);
            MemorySegment mapping = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                    NO_FILE_DESCRIPTOR, NO_FILE_OFFSET);
            if (mapping.address() == MAP_FAILED) {
                throw failure("mmap(length=" + length + ")", callState);
            }
            return mapping.address();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Unmaps a range.
     *
     * @throws PlatformMemoryException if {@code munmap} fails
     */
    static void munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE_LAYOUT);
            int result = (int) MUNMAP.invokeExact(callState, MemorySegment.ofAddress(address), length);
            if (result != SUCCESS) {
                throw failure("munmap(" + range(address, length) + ")", callState);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Gives the kernel advice about a range.
     *
     * @param advice {@link #MADV_DONTNEED}, {@link #MADV_FREE} or another {@code MADV_} value
     * @throws PlatformMemoryException if {@code madvise} fails
     */
    static void madvise(long address, long length, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE_LAYOUT);
            int result = (int) MADVISE.invokeExact(callState, MemorySegment.ofAddress(address), length, advice);
            if (result != SUCCESS) {
                throw failure("madvise(" + range(address, length) + ", advice=" + adviceName(advice) + ")",
                        callState);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Changes the access allowed to a range.
     *
     * @param prot {@link #PROT_NONE}, or {@link #PROT_READ} and {@link #PROT_WRITE} or-ed
     * @throws PlatformMemoryException if {@code mprotect} fails
     */
    static void mprotect(long address, long length, int prot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE_LAYOUT);
            int result = (int) MPROTECT.invokeExact(callState, MemorySegment.ofAddress(address), length, prot);
            if (result != SUCCESS) {
                throw failure("mprotect(" + range(address, length) + ", prot=" + protectionName(prot) + ")",
                        callState);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Returns the page size, from {@code sysconf(_SC_PAGESIZE)}.
     *
     * @throws PlatformMemoryException if {@code sysconf} fails
     */
    static long pageByteSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE_LAYOUT);
            long pageByteSize = (long) SYSCONF.invokeExact(callState, SC_PAGESIZE);
            if (pageByteSize <= 0) {
                throw failure("sysconf(_SC_PAGESIZE)", callState);
            }
            return pageByteSize;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // Linking is restricted: this module is the one place that needs native access.
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String function, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(function).orElseThrow(
                () -> new IllegalStateException("the C library has no function named " + function));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    private static PlatformMemoryException failure(String call, MemorySegment callState) {
        int errno = (int) ERRNO.get(callState, 0L);
        return new PlatformMemoryException(call + " failed: " + Errno.describe(errno), errno);
    }

    /** A downcall declares {@code Throwable} but throws nothing checked: the C code cannot. */
    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("a downcall threw a checked exception", t);
    }

    private static String range(long address, long length) {
        return "address=0x" + Long.toHexString(address) + ", length=" + length;
    }

    private static String adviceName(int advice) {
        return switch (advice) {
            case MADV_DONTNEED -> "MADV_DONTNEED";
            case MADV_FREE -> "MADV_FREE";
            default -> Integer.toString(advice);
        };
    }

    private static String protectionName(int prot) {
        return switch (prot) {
            case PROT_NONE -> "PROT_NONE";
            case PROT_READ -> "PROT_READ";
            case PROT_READ | PROT_WRITE -> "PROT_READ|PROT_WRITE";
            default -> Integer.toString(prot);
        };
    }
}
