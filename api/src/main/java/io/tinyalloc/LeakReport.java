package io.tinyalloc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The blocks of an allocator that are live, and where the ones leak detection tracked were
 * allocated, from {@link Allocator#leaks()}. With {@code leak-detection = all} every live block
 * has a site; with {@code sampled} only a sample does, so a site's figures are a sample of what
 * it holds, not its total; with {@code off} there are no sites.
 *
 * {@snippet lang = java :
 * LeakReport leaks = allocator.leaks();
 * if (leaks.liveBlocks() > 0) {
 *     System.err.println(leaks.format());
 * }
 * }
 *
 * @param liveBlocks every live block, tracked or not
 * @param liveBytes the usable bytes of every live block
 * @param detection the {@code leak-detection} mode that collected the sites: {@code off},
 *        {@code sampled} or {@code all}
 * @param sites the tracked live blocks grouped by allocation site, most bytes first
 */
public record LeakReport(long liveBlocks, long liveBytes, String detection, List<Site> sites) {

    /** Copies {@code sites} so that the report cannot change. */
    public LeakReport {
        sites = List.copyOf(sites);
    }

    /**
     * The tracked live blocks allocated at one place.
     *
     * @param frames the allocating thread's stack, innermost first, starting at the caller of
     *        the allocator (at most a few dozen frames)
     * @param blocks the tracked live blocks allocated there
     * @param bytes the usable bytes of those blocks
     */
    public record Site(List<StackTraceElement> frames, long blocks, long bytes) {

        /** Copies {@code frames}. */
        public Site {
            frames = List.copyOf(frames);
        }
    }

    /**
     * Returns the report in lines for a log: the totals, then each site with its stack.
     *
     * @return the report as text
     */
    public String format() {
        StringBuilder text = new StringBuilder()
                .append(liveBlocks).append(" live blocks (").append(liveBytes).append(" bytes); leak-detection = ")
                .append(detection);
        if (sites.isEmpty() && liveBlocks > 0 && "off".equals(detection)) {
            text.append(" (set leak-detection = sampled or all to see where they were allocated)");
        }
        for (Site site : sites) {
            text.append(System.lineSeparator()).append("  ").append(site.blocks()).append(" blocks (")
                    .append(site.bytes()).append(" bytes) allocated at:")
                    .append(site.frames().stream().map(frame -> System.lineSeparator() + "    at " + frame)
                            .collect(Collectors.joining()));
        }
        return text.toString();
    }
}
