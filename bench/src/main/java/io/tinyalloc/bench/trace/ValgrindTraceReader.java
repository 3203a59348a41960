package io.tinyalloc.bench.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the log that {@code valgrind --trace-malloc=yes} writes, plain or gzipped, into a
 * {@link Trace}.
 *
 * <p>Every line of the form {@code --PID-- CALL} where {@code CALL} names an allocator
 * function is read as one call; a line that names one but does not have its shape is an
 * error ({@link TraceFormatException}, with the line number). The forms read:
 *
 * {@snippet lang = text :
 * --PID-- malloc(SIZE) = 0xADDR                        also _Znwm, _Znam and the other plain new
 * --PID-- calloc(COUNT,SIZE) = 0xADDR
 * --PID-- realloc(0xOLD,SIZE) = 0xNEW
 * --PID-- realloc(0x0,SIZE)malloc(SIZE) = 0xNEW        realloc of NULL: an allocation
 * --PID-- realloc(0xOLD,0)free(0xOLD)                  realloc to 0 bytes: a free; valgrind
 * --PID--  = 0                                            then ends the call on its own line
 * --PID-- memalign(al ALIGN, size SIZE) = 0xADDR       also posix_memalign, aligned_alloc, valloc
 * --PID-- _ZnwmSt11align_val_t(size SIZE, al ALIGN) = 0xADDR     aligned new
 * --PID-- free(0xADDR)                                 also _ZdlPv, _ZdlPvm, _ZdaPv and the other delete
 * }
 *
 * <p>Lines starting with {@code ==} (valgrind's own) and any other line are counted in
 * {@link TraceStats#ignoredLines()}. Each process of a log (the number after {@code --}) has
 * its own addresses. An address becomes an object id when an allocation returns it and stops
 * being one at its free; frees of an address never returned while tracing are skipped and
 * counted, and so are allocations that returned NULL.
 */
public final class ValgrindTraceReader {

    private static final int GZIP_MAGIC_FIRST_BYTE = 0x1f;
    private static final int GZIP_MAGIC_SECOND_BYTE = 0x8b;
    private static final int GZIP_BUFFER_BYTE_SIZE = 1 << 16;

    private ValgrindTraceReader() {
    }

    /**
     * Reads a log file, gzipped or not (told by its first bytes, not its name).
     *
     * @param file the log
     * @return the trace, named after the file without {@code .gz} and {@code .vg}
     * @throws IOException if the file cannot be read
     * @throws TraceFormatException if a line that names an allocator call is malformed
     */
    public static Trace read(Path file) throws IOException {
        try (BufferedReader lines = open(file)) {
            return read(traceName(file), file.toString(), lines);
        }
    }

    /**
     * Tells every call of a log to {@code calls}.
     *
     * @param source where the lines come from, for error messages
     * @param lines the log's lines
     * @param calls what to tell
     * @throws IOException if the reader fails
     * @throws TraceFormatException if a line that names an allocator call is malformed
     */
    static void parse(String source, BufferedReader lines, AllocatorCalls calls) throws IOException {
        ValgrindLineParser parser = new ValgrindLineParser(source, calls);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            parser.parse(line);
        }
    }

    /** Opens a log, gzipped or not (told by its first bytes, not its name). */
    static BufferedReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        try {
            return new BufferedReader(new InputStreamReader(decompressed(raw), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Reads a log from a reader.
     *
     * @param name the trace's name
     * @param source where the lines come from, for error messages
     * @param lines the log's lines
     * @return the trace
     * @throws IOException if the reader fails
     * @throws TraceFormatException if a line that names an allocator call is malformed
     */
    public static Trace read(String name, String source, BufferedReader lines) throws IOException {
        TraceBuilder builder = new TraceBuilder();
        parse(source, lines, builder);
        return builder.build(name);
    }

    /**
     * Returns a trace's name from its file name: {@code gcc.vg.gz} gives {@code gcc}.
     *
     * @param file a log file
     * @return the file name less {@code .gz} and {@code .vg}
     */
    public static String traceName(Path file) {
        String name = file.getFileName().toString();
        name = name.endsWith(".gz") ? name.substring(0, name.length() - ".gz".length()) : name;
        return name.endsWith(".vg") ? name.substring(0, name.length() - ".vg".length()) : name;
    }

    private static InputStream decompressed(InputStream in) throws IOException {
        in.mark(2);
        boolean gzipped = in.read() == GZIP_MAGIC_FIRST_BYTE && in.read() == GZIP_MAGIC_SECOND_BYTE;
        in.reset();
        return gzipped ? new GZIPInputStream(in, GZIP_BUFFER_BYTE_SIZE) : in;
    }
}
