package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.report.Units;
import io.tinyalloc.bench.trace.TraceStats;
import io.tinyalloc.bench.trace.ValgrindImport;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyalloc import-valgrind}: a valgrind log into the project's own trace format. */
@Command(name = "import-valgrind", mixinStandardHelpOptions = true,
        description = {"Converts the log of `valgrind --trace-malloc=yes` (plain or gzipped) into a trace file in"
                + " tinyalloc's own compact format (docs/trace-format.md), which replay, compare and footprint read."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:converted", "1:the log is malformed (the message names its line) or cannot be read",
            "2:invalid arguments: no such log"})
final class ImportValgrindCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOG", description = "a valgrind log, LOG.vg or LOG.vg.gz")
    private Path log;

    @Parameters(index = "1", paramLabel = "OUT", description = "the trace file to write, such as OUT.trace")
    private Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(log)) {
            throw new UsageException(log + ": no such file (expected: a valgrind --trace-malloc=yes log)");
        }
        TraceStats stats;
        try {
            stats = ValgrindImport.convert(log, out);
        } catch (NoSuchFileException missing) {
            throw new UsageException(missing.getFile() + ": no such file or folder");
        }
        spec.commandLine().getOut().printf("wrote %s: %,d operations on %,d objects, peak live %s; %,d frees of unknown"
                        + " addresses and %,d failed allocations skipped%n", out.toAbsolutePath(), stats.ops(),
                stats.objects(), Units.bytes(stats.peakLiveBytes()), stats.unknownFrees(),
                stats.failedAllocations());
        return TinyAllocCommand.EXIT_OK;
    }
}
