package io.tinyalloc.bench.report;

/**
 * The memory figures of one fork, in bytes; {@value #UNKNOWN} for a figure the fork did not
 * report.
 *
 * @param peakCommittedBytes the most the allocator held above its start, by its own count
 * @param settledCommittedBytes what it still held above its start once everything was freed and
 *        its purge delay had passed
 * @param rssPeakBytes the fork's peak resident set ({@code VmHWM}), the whole JVM
 * @param rssBytes the fork's resident set at the end ({@code VmRSS}), the whole JVM
 */
public record MemoryFigures(long peakCommittedBytes, long settledCommittedBytes, long rssPeakBytes, long rssBytes) {

    /** A figure that was not reported. */
    public static final long UNKNOWN = -1;

    /** No figure known. */
    public static final MemoryFigures NONE = new MemoryFigures(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
}
