package io.tinyalloc.platform.linux;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import java.util.Locale;
import java.util.Set;

/**
 * Provides the {@link PlatformMemory} of Linux, named {@code linux}: {@code mmap},
 * {@code madvise}, {@code mprotect} and {@code munmap} through FFM downcalls into the C library.
 *
 * <p>Supported on Linux on x86_64 and aarch64, whose {@code mmap} flags and page-size query it
 * hard-codes. It has no settings.
 */
public final class LinuxMemoryProvider implements PlatformMemoryProvider {

    private static final String NAME = "linux";
    private static final String LINUX_OS_NAME = "linux";
    /** {@code os.arch} of x86_64 (reported as {@code amd64} by most JDKs) and aarch64. */
    private static final Set<String> SUPPORTED_ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public LinuxMemoryProvider() {
    }

    /** @return {@code "linux"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return whether this JVM runs on Linux on x86_64 or aarch64 */
    @Override
    public boolean isSupported() {
        return isSupported(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if this provider is not {@linkplain #isSupported() supported}
     *         here
     * @throws io.tinyalloc.spi.PlatformMemoryException if the page size cannot be read
     */
    @Override
    public PlatformMemory create(Config settings) {
        if (!isSupported()) {
            throw new IllegalStateException("the linux platform needs Linux on x86_64 or aarch64; this JVM runs on "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        return new LinuxMemory();
    }

    /** Whether the system named by {@code os.name} and {@code os.arch} is one this provider runs on. */
    static boolean isSupported(String osName, String osArch) {
        return osName.toLowerCase(Locale.ROOT).equals(LINUX_OS_NAME)
                && SUPPORTED_ARCHITECTURES.contains(osArch.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "LinuxMemoryProvider[" + NAME + "]";
    }
}
