package io.tinyalloc.bench.cli;

import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.report.Combination;
import io.tinyalloc.bench.workload.ThreadedWorkload;
import io.tinyalloc.bench.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the combinations named on the command line into {@link Combination}s, checking each
 * before any fork starts: a {@code tinyalloc.conf} file must exist and be valid, a baseline must
 * be known. A baseline that is known but cannot be opened here (its library is not installed) is
 * skipped with a note rather than failing the run.
 */
final class Combinations {

    /** The prefix of a baseline allocator's name. */
    static final String BASELINE_PREFIX = "baseline:";

    /**
     * The combinations found, and a note for each one skipped.
     *
     * @param available the combinations to run, in command-line order
     * @param skipped why each skipped one was skipped
     * @param threadConfined the labels of those whose allocator frees a block only in its allocating thread
     */
    record Resolved(List<Combination> available, List<String> skipped, Set<String> threadConfined) {

        /**
         * Says whether a workload can run on a combination: not one that frees blocks in other
         * threads on an allocator that frees a block only in its allocating thread.
         */
        boolean canRun(Workload workload, Combination combination) {
            return !(workload instanceof ThreadedWorkload threaded && threaded.freesAcrossThreads()
                    && threadConfined.contains(combination.label()));
        }

        /** @return a note for each pair that {@link #canRun} leaves out */
        List<String> pairsLeftOut(List<Workload> workloads) {
            List<String> notes = new ArrayList<>();
            for (Workload workload : workloads) {
                for (Combination combination : available) {
                    if (!canRun(workload, combination)) {
                        notes.add("left out " + workload.name() + " on " + combination.label() + ": the workload frees"
                                + " blocks in other threads, and " + combination.label()
                                + " frees a block only in its allocating thread");
                    }
                }
            }
            return notes;
        }
    }

    private Combinations() {
    }

    /**
     * @param arguments {@code A.conf}, {@code tinyalloc}, {@code tinyalloc:FILE} or {@code baseline:NAME}, each
     * @return the combinations
     * @throws UsageException if an argument names no file or an unknown baseline, or two name the same
     * @throws com.typesafe.config.ConfigException if a configuration file is not valid; the
     *         message lists every problem with its file and line
     * @throws IllegalStateException if a strategy named in a configuration cannot be found
     */
    static Resolved resolve(List<String> arguments) {
        List<Combination> available = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> threadConfined = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (String argument : arguments) {
            if (!labels.add(argument)) {
                throw new UsageException(argument + " is named twice (expected: each combination once)");
            }
            String allocator = allocatorName(argument);
            try (BenchAllocator opened = BenchAllocators.open(allocator)) {
                available.add(new Combination(argument, allocator, BenchAllocators.describe(opened),
                        opened.committedBytesSource()));
                if (!opened.freesFromAnyThread()) {
                    threadConfined.add(argument);
                }
            } catch (AllocatorUnavailableException unavailable) {
                skipped.add("skipped " + unavailable.getMessage());
            }
        }
        return new Resolved(List.copyOf(available), List.copyOf(skipped), Set.copyOf(threadConfined));
    }

    /** The allocator name of an argument, its configuration file checked first. */
    private static String allocatorName(String argument) {
        if (argument.equals(BenchAllocators.TINYALLOC)) {
            return argument;
        }
        if (argument.startsWith(BASELINE_PREFIX)) {
            if (!BenchAllocators.names().contains(argument)) {
                throw new UsageException("unknown baseline: " + argument + " (expected one of: "
                        + String.join(", ", baselines()) + ")");
            }
            return argument;
        }
        String file = argument.startsWith(BenchAllocators.TINYALLOC_WITH_FILE_PREFIX)
                ? argument.substring(BenchAllocators.TINYALLOC_WITH_FILE_PREFIX.length()) : argument;
        Path confFile = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(confFile)) {
            throw new UsageException(argument + ": no such file " + confFile + " (expected: a tinyalloc.conf file, "
                    + BenchAllocators.TINYALLOC + ", or one of: " + String.join(", ", baselines()) + ")");
        }
        checkConfiguration(confFile);
        return BenchAllocators.TINYALLOC_WITH_FILE_PREFIX + confFile;
    }

    /** Creates the allocator once, so that a configuration problem surfaces here as the config module reports it. */
    private static void checkConfiguration(Path confFile) {
        try (Allocator ignored = TinyAlloc.create(confFile)) {
            // Valid: the forks will create it again.
        }
    }

    /** @return the baseline names that {@code BenchAllocators} knows */
    static List<String> baselines() {
        return BenchAllocators.names().stream().filter(name -> name.startsWith(BASELINE_PREFIX)).toList();
    }
}
