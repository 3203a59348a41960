package io.tinyalloc.bench.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds the recorded traces by name: {@code NAME.trace} (tinyalloc's own format, see
 * {@code docs/trace-format.md}) or {@code NAME.vg.gz} (a gzipped valgrind log) in the
 * repository's {@code traces/} folder, then in {@code ../shared/traces} beside the repository
 * when that folder exists; and reads any trace file, in either format, by its path.
 *
 * <p>The repository root is the system property {@value #HOME_PROPERTY} when set (the
 * {@code tinyalloc} tool sets it), else the working directory or its parent, whichever has a
 * {@code traces/} folder (tests run in {@code bench/}).
 */
public final class TraceLibrary {

    /** The system property naming the repository root. */
    public static final String HOME_PROPERTY = "tinyalloc.home";
    /** The suffix of a gzipped valgrind log. */
    public static final String SUFFIX = ".vg.gz";
    /** The suffix of a trace in tinyalloc's own format. */
    public static final String TRACE_SUFFIX = ".trace";

    /** Suffixes of trace files, in the order a name is looked up: the faster format to read first. */
    private static final List<String> SUFFIXES = List.of(TRACE_SUFFIX, SUFFIX);
    private static final String GZIP_SUFFIX = ".gz";
    private static final String VALGRIND_SUFFIX = ".vg";
    private static final int GZIP_MAGIC_FIRST_BYTE = 0x1f;
    private static final int GZIP_MAGIC_SECOND_BYTE = 0x8b;
    private static final int BUFFER_BYTE_SIZE = 1 << 16;
    private static final String SHIPPED_FOLDER = "traces";
    private static final Path SHARED_FOLDER = Path.of("..", "shared", "traces");

    private final List<Path> folders;

    private TraceLibrary(List<Path> folders) {
        this.folders = folders;
    }

    /**
     * Returns the library of this repository.
     *
     * @return the shipped traces, and the shared ones when present
     * @throws IllegalStateException if no {@code traces/} folder can be found
     */
    public static TraceLibrary ofRepository() {
        Path root = repositoryRoot();
        List<Path> folders = new ArrayList<>(List.of(root.resolve(SHIPPED_FOLDER)));
        Path shared = root.resolve(SHARED_FOLDER).normalize();
        if (Files.isDirectory(shared)) {
            folders.add(shared);
        }
        return new TraceLibrary(List.copyOf(folders));
    }

    /** @return the repository's {@code traces/} folder */
    public Path shippedFolder() {
        return folders.getFirst();
    }

    /** @return {@code ../shared/traces} beside the repository, if it exists */
    public Optional<Path> sharedFolder() {
        return folders.size() > 1 ? Optional.of(folders.get(1)) : Optional.empty();
    }

    /**
     * Lists the traces of a folder.
     *
     * @param folder a folder of this library
     * @return its {@code *.trace} and {@code *.vg.gz} files, sorted by name
     */
    public static List<Path> tracesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(TraceLibrary::isTraceFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** @return the names of every trace, shipped first, each once */
    public List<String> names() {
        return folders.stream().flatMap(folder -> tracesIn(folder).stream())
                .map(TraceLibrary::traceName).distinct().toList();
    }

    /**
     * Finds a trace by name: in each folder, {@code NAME.trace} then {@code NAME.vg.gz}; else
     * {@code name} as the path of a file.
     *
     * @param name a trace name such as {@code gcc}, or the path of a trace file
     * @return the file
     * @throws IllegalArgumentException if there is no such trace; the message lists those there are
     */
    public Path find(String name) {
        for (Path folder : folders) {
            for (String suffix : SUFFIXES) {
                Path file = folder.resolve(name + suffix);
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
        }
        Path file = Path.of(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        throw new IllegalArgumentException("no trace named " + name + " in " + folders
                + " (expected one of: " + String.join(", ", names()) + ", or the path of a trace file)");
    }

    /**
     * Finds and reads a trace.
     *
     * @param name a trace name or a trace file's path
     * @return the trace
     * @throws IllegalArgumentException if there is no such trace
     * @throws UncheckedIOException if it cannot be read
     * @throws TraceFormatException if it is malformed
     */
    public Trace read(String name) {
        Path file = find(name);
        try {
            return readFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads a trace file in either format, gzipped or not. A file whose name ends with
     * {@code .trace} or {@code .trace.gz}, or that starts with the trace magic, is read as
     * tinyalloc's own format; any other as a valgrind log.
     *
     * {@snippet lang = java :
     * Trace trace = TraceLibrary.readFile(Path.of("app.trace"));
     * System.out.println(trace.opCount() + " operations on " + trace.threadCount() + " threads");
     * }
     *
     * @param file the trace file
     * @return the trace, named after the file without its suffixes
     * @throws IOException if the file cannot be read
     * @throws TraceFormatException if it is malformed: for a valgrind log the message names
     *         the line, for a trace file what was expected at which byte
     */
    public static Trace readFile(Path file) throws IOException {
        try (InputStream in = decompressed(new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTE_SIZE))) {
            in.mark(TraceFileReader.MAGIC.length);
            byte[] head = in.readNBytes(TraceFileReader.MAGIC.length);
            in.reset();
            if (TraceFileReader.startsWithMagic(head) || isTraceFormatName(file)) {
                return TraceFileReader.read(traceName(file), file.toString(), in);
            }
            return ValgrindTraceReader.read(traceName(file), file.toString(),
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)));
        }
    }

    /**
     * Returns a trace's name from its file name: {@code gcc.vg.gz} and {@code gcc.trace} give
     * {@code gcc}.
     *
     * @param file a trace file
     * @return the file name less {@code .gz}, then less {@code .vg} or {@code .trace}
     */
    public static String traceName(Path file) {
        String name = withoutSuffix(file.getFileName().toString(), GZIP_SUFFIX);
        return withoutSuffix(withoutSuffix(name, VALGRIND_SUFFIX), TRACE_SUFFIX);
    }

    private static boolean isTraceFile(Path file) {
        String name = file.getFileName().toString();
        return SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static boolean isTraceFormatName(Path file) {
        return withoutSuffix(file.getFileName().toString(), GZIP_SUFFIX).endsWith(TRACE_SUFFIX);
    }

    private static String withoutSuffix(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    /** Gzip is told by its magic, not the file name; the result supports mark and reset. */
    private static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(2);
        boolean gzipped = in.read() == GZIP_MAGIC_FIRST_BYTE && in.read() == GZIP_MAGIC_SECOND_BYTE;
        in.reset();
        return gzipped ? new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTE_SIZE), BUFFER_BYTE_SIZE) : in;
    }

    private static Path repositoryRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            return Path.of(home).toAbsolutePath();
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {here, here.getParent()}) {
            if (candidate != null && Files.isDirectory(candidate.resolve(SHIPPED_FOLDER))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the traces/ folder in " + here + " or its parent"
                + " (expected: run from the repository root or a module, or set -D" + HOME_PROPERTY + ")");
    }
}
