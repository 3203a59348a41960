package io.tinyalloc.bench.trace;

import io.tinyalloc.TracingAllocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Converts the log of {@code valgrind --trace-malloc=yes} into a trace file in tinyalloc's own
 * format ({@code docs/trace-format.md}), which is smaller and reads many times faster.
 *
 * {@snippet lang = java :
 * TraceStats stats = ValgrindImport.convert(Path.of("traces/gcc.vg.gz"), Path.of("gcc.trace"));
 * }
 *
 * <p>The log is read as {@link ValgrindTraceReader} reads it, and every call is made again,
 * with the program's own addresses, through a {@link TracingAllocator} in front of an
 * allocator that returns them: the trace file is written by the same code that records live
 * programs, and reads back as the same operations as the log. What the importer leaves out:
 * allocations that returned NULL (they did nothing), and valgrind's own lines. Each process of
 * the log keeps its own addresses (see the format's description); all calls are on thread 0,
 * since valgrind does not say which thread made them.
 */
public final class ValgrindImport {

    /** Addresses of the second and later processes of a log are moved above user space, 2^48 apart. */
    private static final int PROCESS_SHIFT = 48;
    private static final int MAX_PROCESSES = 1 << (Long.SIZE - 1 - PROCESS_SHIFT);

    /** Added to the output's name while it is written. */
    private static final String PARTIAL_SUFFIX = ".partial";

    private ValgrindImport() {
    }

    /**
     * Converts a valgrind log, gzipped or not, into a trace file.
     *
     * @param valgrindLog the log of {@code valgrind --trace-malloc=yes}
     * @param traceOut the trace file to write; replaced if it exists
     * @return what the log holds, as {@link ValgrindTraceReader} counts it
     * @throws IOException if the log cannot be read or the trace written
     * @throws TraceFormatException if a line of the log that names an allocator call is
     *         malformed; the message names the file and line number
     */
    public static TraceStats convert(Path valgrindLog, Path traceOut) throws IOException {
        // Written beside the output and moved into place once complete: a failed import leaves
        // neither a partial trace nor, when the output existed, a damaged one.
        Path absoluteOut = traceOut.toAbsolutePath();
        Path partial = absoluteOut.resolveSibling(absoluteOut.getFileName() + PARTIAL_SUFFIX);
        try {
            TraceStats stats = convertTo(valgrindLog, partial);
            Files.move(partial, absoluteOut, StandardCopyOption.REPLACE_EXISTING);
            return stats;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static TraceStats convertTo(Path valgrindLog, Path traceOut) throws IOException {
        TraceBuilder builder = new TraceBuilder();
        ScriptedAllocator program = new ScriptedAllocator();
        try (BufferedReader lines = ValgrindTraceReader.open(valgrindLog);
             TracingAllocator tracer = TracingAllocator.wrap(program, traceOut)) {
            ValgrindTraceReader.parse(valgrindLog.toString(), lines, new Replayed(builder, program, tracer));
        } catch (UncheckedIOException e) {
            throw e.getCause();   // from the tracer's close: the trace could not be written
        }
        return builder.build(ValgrindTraceReader.traceName(valgrindLog)).stats();
    }

    /** Checks each call with a {@link TraceBuilder}, which counts it, then makes it again through the tracer. */
    private static final class Replayed implements AllocatorCalls {

        private final TraceBuilder builder;
        private final ScriptedAllocator program;
        private final TracingAllocator tracer;
        private final Map<Integer, Integer> processOrdinals = new HashMap<>();

        Replayed(TraceBuilder builder, ScriptedAllocator program, TracingAllocator tracer) {
            this.builder = builder;
            this.program = program;
            this.tracer = tracer;
        }

        @Override
        public void ignoredLine() {
            builder.ignoredLine();
        }

        @Override
        public void allocate(int pid, byte kind, long byteSize, long byteAlignment, long address) {
            builder.allocate(pid, kind, byteSize, byteAlignment, address);
            if (address == 0) {
                return;   // failed: nothing happened
            }
            program.returnNext(inProcess(pid, address));
            switch (kind) {
                case TraceOp.ALLOCATE_ZEROED -> tracer.allocateZeroed(byteSize);
                case TraceOp.ALLOCATE_ALIGNED -> tracer.allocate(byteSize, byteAlignment);
                default -> tracer.allocate(byteSize);
            }
        }

        @Override
        public void reallocate(int pid, long oldAddress, long byteSize, long newAddress) {
            builder.reallocate(pid, oldAddress, byteSize, newAddress);
            if (newAddress == 0) {
                return;   // failed: the old block stays as it was
            }
            program.returnNext(inProcess(pid, newAddress));
            tracer.reallocate(inProcess(pid, oldAddress), byteSize);
        }

        @Override
        public void free(int pid, long address) {
            builder.free(pid, address);
            tracer.free(inProcess(pid, address));
        }

        private long inProcess(int pid, long address) {
            int ordinal = processOrdinals.computeIfAbsent(pid, unused -> processOrdinals.size());
            if (ordinal == 0 || address == 0) {
                return address;
            }
            if (ordinal >= MAX_PROCESSES || address >>> PROCESS_SHIFT != 0) {
                throw new IllegalArgumentException("address 0x" + Long.toHexString(address) + " of process " + pid
                        + ", the log's process number " + (ordinal + 1) + " (expected: below 2^" + PROCESS_SHIFT
                        + " and at most " + MAX_PROCESSES + " processes, to keep processes apart in one trace)");
            }
            return address | (long) ordinal << PROCESS_SHIFT;
        }
    }
}
