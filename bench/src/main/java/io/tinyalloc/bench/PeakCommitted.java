package io.tinyalloc.bench;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The most memory an allocator held during a benchmark, above what it held when the
 * benchmark started. Sampled outside the measured code (committed-byte figures can be slow),
 * at the points where a workload's live memory peaks, and at the end of each iteration.
 *
 * <p>At the end of a trial it prints one line; or, when the system property
 * {@value #RESULTS_FILE_PROPERTY} names a file (the {@code tinyalloc} tool sets it), appends one
 * to that file instead: {@code workload TAB allocator TAB bytes TAB source}.
 */
final class PeakCommitted {

    /** The system property naming the file where each trial appends its peak. */
    static final String RESULTS_FILE_PROPERTY = "tinyalloc.bench.results";

    private final BenchAllocator allocator;
    private final long startBytes;
    private long peakBytes;

    PeakCommitted(BenchAllocator allocator) {
        this.allocator = allocator;
        this.startBytes = allocator.committedBytes();
        this.peakBytes = startBytes;
    }

    void sample() {
        peakBytes = Math.max(peakBytes, allocator.committedBytes());
    }

    /** @return the peak above the start, in bytes */
    long peakAboveStartBytes() {
        return Math.max(0, peakBytes - startBytes);
    }

    void report(String workload) {
        String source = allocator.committedBytesSource();
        String file = System.getProperty(RESULTS_FILE_PROPERTY);
        if (file == null) {
            System.out.printf("# %s on %s: peak committed %,d bytes above the start (%s)%n",
                    workload, allocator.name(), peakAboveStartBytes(), source);
        } else {
            String line = workload + '\t' + allocator.name() + '\t' + peakAboveStartBytes() + '\t' + source + '\n';
            try {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the peak committed bytes to " + file, e);
            }
        }
    }
}
