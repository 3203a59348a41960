package io.tinyalloc.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes how this JVM was started, for the {@code ./tinyalloc} script: Maven's exec plugin knows
 * the JDK 25 toolchain, the class path and the JVM options, but runs the tool with its output
 * piped, so that the tool would never see a terminal. The script runs this once through Maven,
 * then starts the tool itself with the caller's terminal.
 *
 * <p>The file has one entry a line: {@code java=PATH}, {@code option=OPTION} per JVM option,
 * {@code classpath=PATH}.
 */
@Command(name = "launch-file", hidden = true,
        description = "Writes the java executable, JVM options and class path of this JVM to FILE (for ./tinyalloc).")
final class LaunchFileCommand implements Callable<Integer> {

    /** The JVM options that name the class path: the file has it on a line of its own. */
    private static final List<String> CLASS_PATH_OPTIONS = List.of("-classpath", "-cp", "--class-path");

    @Parameters(paramLabel = "FILE")
    private Path file;

    @Override
    public Integer call() throws Exception {
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> lines = new ArrayList<>();
        lines.add("java=" + self.command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : jvmOptions(self.arguments().orElse(new String[0]))) {
            lines.add("option=" + option);
        }
        lines.add("classpath=" + System.getProperty("java.class.path"));
        Files.write(file, lines);
        return TinyAllocCommand.EXIT_OK;
    }

    /** The arguments before the class path: the JVM's own options. */
    static List<String> jvmOptions(String[] arguments) {
        List<String> options = new ArrayList<>();
        for (String argument : arguments) {
            if (CLASS_PATH_OPTIONS.contains(argument)) {
                break;
            }
            options.add(argument);
        }
        return options;
    }
}
