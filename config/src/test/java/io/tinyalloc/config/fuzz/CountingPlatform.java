package io.tinyalloc.config.fuzz;

import io.tinyalloc.spi.PlatformMemoryProvider;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the {@link CountingPlatformProvider counting platforms} recorded since the last
 * {@link #reset()}, and the only place where that provider can be found.
 *
 * <p>The record is global rather than per allocator: fuzz tests run one input at a time, each
 * starting with {@link #reset()}. A background purge thread of an allocator may release memory
 * concurrently, hence the atomics.
 */
final class CountingPlatform {

    private static final String SERVICE_FILE = "META-INF/services/" + PlatformMemoryProvider.class.getName();
    /** The service file that names the counting provider, kept out of {@code META-INF/services}. */
    private static final URL COUNTING_SERVICE_FILE = Objects.requireNonNull(
            CountingPlatform.class.getResource(PlatformMemoryProvider.class.getName()),
            "the counting provider's service file, next to CountingPlatform");

    private static final AtomicLong RESERVE_CALLS = new AtomicLong();
    private static final AtomicLong UNRELEASED_BYTES = new AtomicLong();

    private CountingPlatform() {
    }

    /**
     * Runs {@code action} with the counting provider visible to {@link java.util.ServiceLoader}:
     * the thread's context class loader, which tinyalloc's provider discovery reads, is
     * replaced for the duration by one that also lists {@link CountingPlatformProvider}.
     */
    static <T> T run(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        thread.setContextClassLoader(new WithCountingProvider(original));
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    static void reset() {
        RESERVE_CALLS.set(0);
        UNRELEASED_BYTES.set(0);
    }

    /** @return how many times memory was reserved (or tried to be) since {@link #reset()} */
    static long reserveCalls() {
        return RESERVE_CALLS.get();
    }

    /** @return the bytes reserved and not released since {@link #reset()} */
    static long unreleasedBytes() {
        return UNRELEASED_BYTES.get();
    }

    static void reserving() {
        RESERVE_CALLS.incrementAndGet();
    }

    static void reserved(long byteSize) {
        UNRELEASED_BYTES.addAndGet(byteSize);
    }

    static void released(long byteSize) {
        UNRELEASED_BYTES.addAndGet(-byteSize);
    }

    /** Delegates everything to its parent, and adds the counting provider's service file. */
    private static final class WithCountingProvider extends ClassLoader {
        WithCountingProvider(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return name.equals(SERVICE_FILE) ? Collections.enumeration(List.of(COUNTING_SERVICE_FILE))
                    : Collections.emptyEnumeration();
        }
    }
}
