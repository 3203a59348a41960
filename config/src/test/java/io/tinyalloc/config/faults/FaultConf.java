package io.tinyalloc.config.faults;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.stream.Collectors;

/**
 * The {@code tinyalloc.conf} of the fault tests: the {@code fault-injection} platform with a
 * schedule, and a geometry that makes every platform call frequent. Small segments in arenas of
 * one segment each, so that growth reserves as well as commits; a purge delay of a millisecond
 * with a background purger, so that purges happen during a test and memory goes back once the
 * test's threads are done; a small large cache whose regions age out quickly.
 */
final class FaultConf {

    /** How memory is purged: by the background purger after a delay, or at once on the freeing thread. */
    enum Purge {
        DELAYED_DECOMMIT("purge { provider = delayed, delayed { delay = 1 ms, kind = decommit }, background = on }"),
        DELAYED_RESET("purge { provider = delayed, delayed { delay = 1 ms, kind = reset }, background = on }"),
        IMMEDIATE_DECOMMIT("purge { provider = immediate, immediate.kind = decommit, background = on }");

        private final String block;

        Purge(String block) {
            this.block = block;
        }
    }

    private static final String GEOMETRY = String.join("\n",
            "segment-size = 1 MiB",
            "arena-size = 1 MiB",
            "page-sizes = [64 KiB, 512 KiB]",
            "large { cache-capacity = 8 MiB, cache-max-age = 100 ms }");

    private FaultConf() {
    }

    /**
     * The configuration of an allocator on the fault-injection platform with this schedule and
     * purge, and {@code extraLines} last, where they override the rest.
     */
    static Config of(FaultSchedule schedule, Purge purge, String... extraLines) {
        String failing = schedule.failing().stream().map(PlatformOperation::configName)
                .sorted().collect(Collectors.joining(", ", "[", "]"));
        return ConfigFactory.parseString(String.join("\n",
                "platform {",
                "  provider = fault-injection",
                "  fault-injection { fail = " + failing + ", every = " + schedule.every() + ", errno = "
                        + FaultSchedule.errnoName(schedule.errno()) + " }",
                "}",
                purge.block,
                GEOMETRY,
                String.join("\n", extraLines)));
    }
}
