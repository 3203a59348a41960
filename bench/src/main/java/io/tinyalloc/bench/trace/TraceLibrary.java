package io.tinyalloc.bench.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the recorded traces by name: {@code NAME.vg.gz} in the repository's {@code traces/}
 * folder, then in {@code ../shared/traces} beside the repository when that folder exists.
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
     * @return its {@code *.vg.gz} files, sorted by name
     */
    public static List<Path> tracesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** @return the names of every trace, shipped first */
    public List<String> names() {
        return folders.stream().flatMap(folder -> tracesIn(folder).stream())
                .map(ValgrindTraceReader::traceName).distinct().toList();
    }

    /**
     * Finds a trace by name.
     *
     * @param name a trace name such as {@code gcc}, or the path of a log file
     * @return the file
     * @throws IllegalArgumentException if there is no such trace; the message lists those there are
     */
    public Path find(String name) {
        for (Path folder : folders) {
            Path file = folder.resolve(name + SUFFIX);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        Path file = Path.of(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        throw new IllegalArgumentException("no trace named " + name + " in " + folders
                + " (expected one of: " + String.join(", ", names()) + ", or the path of a valgrind log)");
    }

    /**
     * Finds and reads a trace.
     *
     * @param name a trace name or a log file's path
     * @return the trace
     * @throws IllegalArgumentException if there is no such trace
     * @throws UncheckedIOException if it cannot be read
     * @throws TraceFormatException if it is malformed
     */
    public Trace read(String name) {
        Path file = find(name);
        try {
            return ValgrindTraceReader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
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
