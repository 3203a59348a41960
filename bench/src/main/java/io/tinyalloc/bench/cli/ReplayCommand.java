package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.workload.TraceWorkload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyalloc replay}: one trace, one combination, measured as {@code compare} measures. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays a trace over and over with JMH on one combination and prints the median ns per trace"
                + " operation with its 95%% confidence interval, the peak and settled committed bytes and the fork's"
                + " peak RSS."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything ran", "1:the replay failed, or the configuration is not valid",
            "2:invalid arguments: no such trace or file"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "TRACE", description = "a trace name (see `tinyalloc list`) or the path of a trace file")
    private String trace;

    @Option(names = {"-c", "--config"}, paramLabel = "C",
            description = "a tinyalloc.conf file, tinyalloc (the defaults) or baseline:NAME; default: tinyalloc")
    private String combination = BenchAllocators.TINYALLOC;

    @Mixin
    private MeasurementOptions options;

    @Override
    public Integer call() throws Exception {
        TraceWorkload workload = new TraceWorkload(traceArgument());
        return new ComparisonRun(spec.commandLine().getOut(), spec.commandLine().getErr(), TinyAllocCommand.commandLineOf(spec))
                .run(List.of(combination), List.of(workload), options.settings(), options.json, options.html);
    }

    /**
     * A trace's name as is, a file as an absolute path: the forks need not run in this directory.
     * The trace is read here first, so that a missing or malformed one fails before any fork,
     * with its line number (or record number).
     */
    private String traceArgument() {
        TraceLibrary library = TraceLibrary.ofRepository();
        Path file;
        try {
            file = library.find(trace);
        } catch (IllegalArgumentException unknown) {
            throw new UsageException(unknown.getMessage());
        }
        try {
            TraceLibrary.readFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Path given = Path.of(trace);
        return Files.isRegularFile(given) ? given.toAbsolutePath().toString() : trace;
    }
}
