package io.tinyalloc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler, run inside each fork, that adds the memory figures to every iteration's
 * secondary results, in bytes: the allocator's peak committed bytes above its start so far
 * ({@value #PEAK_COMMITTED}), from the last iteration on the committed bytes once everything was
 * freed and the purge delay passed ({@value #SETTLED_COMMITTED}), and the fork's resident set
 * from {@code /proc/self/status}: its peak {@code VmHWM} ({@value #RSS_PEAK}) and its current
 * {@code VmRSS} ({@value #RSS}). The allocator's figures come from {@link PeakCommitted}.
 *
 * <p>Public because JMH instantiates it by name: {@code -prof io.tinyalloc.bench.MemoryProfiler}.
 */
public final class MemoryProfiler implements InternalProfiler {

    /** The secondary result of the peak committed bytes. */
    public static final String PEAK_COMMITTED = "·peak-committed";
    /** The secondary result of the committed bytes once settled: in the last iteration only. */
    public static final String SETTLED_COMMITTED = "·settled-committed";
    /** The secondary result of the fork's peak resident set. */
    public static final String RSS_PEAK = "·rss-peak";
    /** The secondary result of the fork's resident set at the iteration's end. */
    public static final String RSS = "·rss";
    /** The unit of every figure. */
    public static final String UNIT = "bytes";

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long BYTES_PER_KIB = 1024;

    /** Set in the fork once JMH ran this profiler: {@link PeakCommitted} then leaves the figures to it. */
    private static volatile boolean active;

    /** Created by JMH. */
    public MemoryProfiler() {
    }

    static boolean isActive() {
        return active;
    }

    @Override
    public String getDescription() {
        return "tinyalloc's memory figures: the allocator's peak and settled committed bytes, the fork's RSS";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        active = true;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        List<Result> figures = new ArrayList<>();
        PeakCommitted trial = PeakCommitted.current();
        if (trial != null) {
            figures.add(bytes(PEAK_COMMITTED, trial.peakAboveStartBytes()));
            long settled = trial.settledAboveStartBytes();
            if (settled >= 0) {
                figures.add(bytes(SETTLED_COMMITTED, settled));
            }
        }
        String status = readStatus();
        addIfKnown(figures, RSS_PEAK, statusBytes(status, "VmHWM:"));
        addIfKnown(figures, RSS, statusBytes(status, "VmRSS:"));
        return figures;
    }

    private static void addIfKnown(List<Result> figures, String label, long bytes) {
        if (bytes >= 0) {
            figures.add(bytes(label, bytes));
        }
    }

    private static ScalarResult bytes(String label, long bytes) {
        return new ScalarResult(label, bytes, UNIT, AggregationPolicy.MAX);
    }

    private static String readStatus() {
        try {
            return Files.readString(STATUS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + " (expected: Linux)", e);
        }
    }

    /** A {@code Name:   123 kB} line's figure in bytes, or -1 when the kernel has no such line. */
    static long statusBytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                String[] words = line.substring(field.length()).trim().split("\\s+");
                return Long.parseLong(words[0]) * BYTES_PER_KIB;
            }
        }
        return -1;
    }
}
