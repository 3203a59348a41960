package io.tinyalloc.bench.trace;

/**
 * What a trace reader counted while reading a log.
 *
 * @param calls allocator calls recognized, frees of NULL excepted (these do nothing)
 * @param ops operations kept for replay: {@code calls} less the skipped ones below
 * @param objects distinct objects created
 * @param peakLiveBytes the most bytes live at once, counting the sizes the program asked for
 * @param unknownFrees frees or reallocations of an address never returned while tracing (for
 *        example allocated before tracing started), skipped
 * @param failedAllocations allocations that returned NULL, skipped
 * @param neverFreed objects still live at the end of the trace
 * @param ignoredLines lines that are not allocator calls (valgrind's own, other tools' output)
 * @param threads the threads that made the calls, at least 1 (always 1 for a valgrind log, which
 *        does not say which thread called)
 */
public record TraceStats(long calls, int ops, int objects, long peakLiveBytes, long unknownFrees,
        long failedAllocations, int neverFreed, long ignoredLines, int threads) {
}
