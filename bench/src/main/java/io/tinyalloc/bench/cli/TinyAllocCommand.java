package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.workload.Workload;
import io.tinyalloc.bench.workload.Workloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tinyalloc} command. With no subcommand it compares tinyalloc's default
 * configuration with glibc's malloc on the default workloads and prints a table.
 */
@Command(name = "tinyalloc",
        mixinStandardHelpOptions = true,
        versionProvider = TinyAllocCommand.Version.class,
        subcommands = {ListCommand.class, FootprintCommand.class},
        description = {
            "Benchmarks tinyalloc, the off-heap allocator for the JVM.",
            "",
            "With no command: compares the default tinyalloc.conf with glibc malloc (through FFM)"
                    + " on batches of 1,000 allocations then 1,000 frees of 64 B, 4 KiB, 1 MiB and mixed sizes,"
                    + " and on the replay of the gcc trace; prints ns per operation (median of the measured"
                    + " iterations ± their median absolute deviation), the ratio to glibc and the peak"
                    + " committed bytes. Takes about 40 seconds."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything ran",
            "1:a benchmark failed, or tinyalloc could not be created",
            "2:invalid arguments"})
public final class TinyAllocCommand implements Callable<Integer> {

    /** Everything ran. */
    static final int EXIT_OK = 0;
    /** A benchmark failed, or an allocator the command needed could not be opened. */
    static final int EXIT_FAILED = 1;

    /**
     * The system property naming a file where {@link #main} also writes the exit status: Maven's
     * exec plugin reports any non-zero status as its own failure, so the {@code ./tinyalloc}
     * script lets every status through Maven and reads the real one from this file.
     */
    static final String EXIT_STATUS_FILE_PROPERTY = "tinyalloc.exit-status-file";

    private static final String VERSION_RESOURCE = "version.properties";

    @Spec
    private CommandSpec spec;

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = commandLine().execute(args);
        String statusFile = System.getProperty(EXIT_STATUS_FILE_PROPERTY, "");
        if (!statusFile.isBlank()) {
            try {
                Files.writeString(Path.of(statusFile), Integer.toString(status));
            } catch (IOException e) {
                System.err.println("tinyalloc: cannot write the exit status to " + statusFile + ": " + e);
                status = EXIT_FAILED;
            }
        }
        System.exit(status);
    }

    /** @return the command, with its error handling: one line per failure, no stack trace */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TinyAllocCommand());
        commandLine.setExecutionExceptionHandler((failure, failed, parseResult) -> {
            failed.getErr().println("tinyalloc: " + failure);
            return EXIT_FAILED;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> wanted = List.of(BenchAllocators.TINYALLOC, BenchAllocators.GLIBC);
        List<Workload> workloads = Workloads.defaults();
        TraceLibrary.ofRepository().find(Workloads.DEFAULT_TRACE);   // fails here, not in a fork

        Comparison.Settings settings = Comparison.Settings.QUICK;
        out.printf("tinyalloc vs glibc: %d workloads, JMH 1 fork per pair, %d x %d ms warm-up, %d x %d ms measured%n",
                workloads.size(), settings.warmupIterations(), settings.warmupMillis(),
                settings.measurementIterations(), settings.measurementMillis());
        Map<String, String> available = availableAllocators(wanted, out, err);
        if (available.isEmpty()) {
            err.println("tinyalloc: no allocator to benchmark");
            return EXIT_FAILED;
        }
        out.flush();
        List<Comparison.Row> rows = new Comparison(settings, out).run(workloads, List.copyOf(available.keySet()));
        out.println();
        out.print(ResultTable.format(rows, BenchAllocators.GLIBC));
        out.println();
        out.println("ns/op: the median of " + settings.measurementIterations() + " measured iterations, ±: their median"
                + " absolute deviation; an operation is one allocation or one free (batch-*), one trace operation (trace:*).");
        out.println("peak committed: the most memory held above the allocator's start, from:");
        rows.stream().map(row -> "  " + row.allocator() + ": " + row.committedSource()).distinct().forEach(out::println);
        return available.size() == wanted.size() ? EXIT_OK : EXIT_FAILED;
    }

    /** Opens each allocator once to see that it works: a note for those that do not. */
    private static Map<String, String> availableAllocators(List<String> names, PrintWriter out, PrintWriter err) {
        Map<String, String> available = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try (BenchAllocator allocator = BenchAllocators.open(name)) {
                available.put(name, BenchAllocators.describe(allocator));
            } catch (AllocatorUnavailableException unavailable) {
                missing.add(unavailable.getMessage());
            }
        }
        available.forEach((name, description) -> out.println("  " + name + ": " + description));
        out.flush();
        missing.forEach(message -> err.println("tinyalloc: skipped " + message));
        err.flush();
        return available;
    }

    /** The version from the Maven build. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = TinyAllocCommand.class.getResourceAsStream(VERSION_RESOURCE)) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"tinyalloc " + properties.getProperty("version", "(version unknown)")};
        }
    }
}
