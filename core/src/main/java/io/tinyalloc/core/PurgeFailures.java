package io.tinyalloc.core;

import io.tinyalloc.spi.PlatformMemoryException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, once per allocator, that giving memory back failed (a purge, a segment's decommit, a
 * region's unmapping): the memory stays committed and is purged again later, so the failure
 * concerns the operator, not the thread whose free happened to trigger it, and is never thrown
 * into that free.
 */
final class PurgeFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PurgeFailures.class);
    private final AtomicBoolean logged = new AtomicBoolean();

    void log(PlatformMemoryException failure) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("tinyalloc could not give memory back to the OS (errno {}); further failures are not logged",
                    failure.errno(), failure);
        }
    }
}
