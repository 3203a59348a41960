package io.tinyalloc.core;

import io.tinyalloc.spi.PlatformMemoryException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a failed purge once: the memory stays committed and is purged again later, so the
 * failure concerns the operator, not the thread whose free happened to trigger the purge.
 */
final class PurgeFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PurgeFailures.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private PurgeFailures() {
    }

    static void log(PlatformMemoryException failure) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.warn("tinyalloc could not give memory back to the OS (errno {}); further failures are not logged",
                    failure.errno(), failure);
        }
    }
}
