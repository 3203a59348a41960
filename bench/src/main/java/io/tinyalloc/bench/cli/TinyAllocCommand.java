package io.tinyalloc.bench.cli;

import com.typesafe.config.ConfigException;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.trace.TraceFormatException;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.workload.Workloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tinyalloc} command. With no subcommand it compares tinyalloc's default
 * configuration with glibc's malloc on the default workloads, quickly, and prints the table.
 */
@Command(name = "tinyalloc",
        mixinStandardHelpOptions = true,
        versionProvider = TinyAllocCommand.Version.class,
        subcommands = {CompareCommand.class, ReplayCommand.class, ImportValgrindCommand.class, ConfigCommand.class,
            ListCommand.class, ClassesCommand.class, FootprintCommand.class, LaunchFileCommand.class},
        description = {
            "A/B-tests tinyalloc's strategy combinations, and other allocators, on the same workloads.",
            "",
            "With no command: compares the default tinyalloc.conf with glibc malloc (through FFM)"
                    + " on batches of 1,000 allocations then 1,000 frees of 64 B, 4 KiB, 1 MiB and mixed sizes,"
                    + " and on the replay of the gcc trace, as `tinyalloc compare baseline:glibc tinyalloc --quick`"
                    + " does; prints ns per operation with its 95%% confidence interval, the ratio to glibc with a"
                    + " verdict, and the memory figures. Takes about 40 seconds."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything ran",
            "1:a benchmark failed, a configuration is not valid, or a trace is malformed",
            "2:invalid arguments"})
public final class TinyAllocCommand implements Callable<Integer> {

    /** Everything ran. */
    static final int EXIT_OK = 0;
    /** A benchmark failed, a configuration is not valid, or an input file is malformed. */
    static final int EXIT_FAILED = 1;
    /** The arguments are invalid: an unknown option, a missing file, an unknown name. */
    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    /** The combinations of the default run: glibc first, as the reference of the ratios. */
    private static final List<String> DEFAULT_COMBINATIONS = List.of(BenchAllocators.GLIBC, BenchAllocators.TINYALLOC);

    /**
     * The system property naming a file where {@link #main} also writes the exit status, for a
     * caller that cannot see it (Maven's exec plugin reports a non-zero status as its own failure).
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
            failed.getErr().println(failed.getCommandName() + ": " + message(failure));
            failed.getErr().flush();
            return failure instanceof UsageException ? EXIT_USAGE : EXIT_FAILED;
        });
        return commandLine;
    }

    /** What the user needs of a failure: the message alone when it says it all. */
    private static String message(Exception failure) {
        return switch (failure) {
            case UsageException usage -> usage.getMessage() + " (see --help)";
            case ConfigException config -> config.getMessage();
            case TraceFormatException format -> format.getMessage();
            case IOException io -> io.getMessage() == null ? io.toString() : "cannot read or write " + io.getMessage();
            default -> failure.toString();
        };
    }

    /** @return the command line of a command, for the reports: {@code tinyalloc compare A.conf B.conf} */
    static String commandLineOf(CommandSpec spec) {
        return "tinyalloc " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    @Override
    public Integer call() throws Exception {
        checkDefaultTrace();
        return new ComparisonRun(spec.commandLine().getOut(), spec.commandLine().getErr(), "tinyalloc")
                .run(DEFAULT_COMBINATIONS, Workloads.defaults(), Settings.QUICK, null, null);
    }

    /** Fails here, not in a fork, when the default trace is missing. */
    private static void checkDefaultTrace() {
        try {
            TraceLibrary.ofRepository().find(Workloads.DEFAULT_TRACE);
        } catch (IllegalArgumentException missing) {
            throw new UsageException(missing.getMessage());
        }
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
