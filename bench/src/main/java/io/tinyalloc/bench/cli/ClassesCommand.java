package io.tinyalloc.bench.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats.SizeClassStats;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.bench.report.Units;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tinyalloc classes}: how well the configured size classes fill their pages. For each
 * class: its block size, the page size it takes, how many blocks a page holds, the bytes of a
 * page no block uses, and the share of the page the blocks use; then the perfect fits, the
 * best, the worst and the average. The figures are the engine's own (an allocator is created
 * from the configuration and its {@code stats()} read), so they count the stride the engine
 * gives classes that are multiples of 4 KiB and the cap on blocks per page.
 */
@Command(name = "classes", mixinStandardHelpOptions = true,
        description = {"Prints, for the configured size classes and page sizes, each class's block size, page size,"
                + " blocks per page, wasted bytes per page and utilization, then the perfect fits, the best, the worst"
                + " and the average utilization. Pages hold free lists, not bitmaps: there are no bitmap words."})
final class ClassesCommand implements Callable<Integer> {

    private static final double PERCENT = 100.0;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "C", arity = "0..1", description = "a tinyalloc.conf; default: the defaults")
    private Path confFile;

    @Override
    public Integer call() {
        if (confFile != null && !Files.isRegularFile(confFile)) {
            throw new UsageException(confFile + ": no such file (expected: a tinyalloc.conf file)");
        }
        Config config = confFile == null ? ConfigFactory.empty("no tinyalloc.conf")
                : ConfigFactory.parseFile(confFile.toAbsolutePath().toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        List<SizeClassStats> classes;
        String combination;
        try (Allocator allocator = TinyAlloc.create(config)) {
            classes = allocator.stats().sizeClasses();
            combination = allocator.describe();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("combination: " + combination);
        out.printf("%5s %10s %9s %10s %12s %11s%n", "class", "block", "page", "blocks", "wasted/page", "utilization");
        for (int index = 0; index < classes.size(); index++) {
            SizeClassStats sizeClass = classes.get(index);
            out.printf("%5d %10d %9s %10d %12d %10.2f%%%n", index, sizeClass.blockByteSize(),
                    Units.bytes(sizeClass.pageByteSize()), sizeClass.blocksPerPage(), wastedBytes(sizeClass),
                    PERCENT * sizeClass.pageUtilization());
        }
        summarize(classes, out);
        return TinyAllocCommand.EXIT_OK;
    }

    private static long wastedBytes(SizeClassStats sizeClass) {
        return sizeClass.pageByteSize() - sizeClass.blocksPerPage() * sizeClass.blockByteSize();
    }

    private static void summarize(List<SizeClassStats> classes, PrintWriter out) {
        long perfectFits = classes.stream().filter(sizeClass -> wastedBytes(sizeClass) == 0).count();
        SizeClassStats best = classes.stream().max(Comparator.comparingDouble(SizeClassStats::pageUtilization)).orElseThrow();
        SizeClassStats worst = classes.stream().min(Comparator.comparingDouble(SizeClassStats::pageUtilization)).orElseThrow();
        double average = classes.stream().mapToDouble(SizeClassStats::pageUtilization).average().orElse(0);
        out.printf("perfect fits: %d of %d classes%n", perfectFits, classes.size());
        out.printf("best: %d-byte blocks, %.2f%%%n", best.blockByteSize(), PERCENT * best.pageUtilization());
        out.printf("worst: %d-byte blocks, %.2f%%%n", worst.blockByteSize(), PERCENT * worst.pageUtilization());
        out.printf("average utilization: %.2f%%%n", PERCENT * average);
    }
}
