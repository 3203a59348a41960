package io.tinyalloc.platform.macos;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;

/**
 * Provides the {@link PlatformMemory} of macOS, named {@code macos}: {@code mmap}, {@code madvise}, {@code mprotect} and {@code munmap} through FFM
 * downcalls.
 *
 * <p><strong>Not implemented yet.</strong> Until it is, {@link #isSupported()} returns
 * {@code false} on every machine, macOS included, so that {@code platform.provider = auto}
 * never picks it, and {@link #create} throws. The provider exists so that the name is known and
 * a configuration that names it fails with a clear message rather than "no such provider".
 */
public final class MacosMemoryProvider implements PlatformMemoryProvider {

    private static final String NAME = "macos";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public MacosMemoryProvider() {
    }

    /** @return {@code "macos"} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Returns {@code false}: the macOS platform is not implemented yet.
     *
     * @return {@code false}, on every machine
     */
    @Override
    public boolean isSupported() {
        return false;
    }

    /**
     * Throws: the macOS platform is not implemented yet.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public PlatformMemory create(Config settings) {
        throw new UnsupportedOperationException(
                "the macOS platform is not implemented yet; use platform.provider = linux on Linux");
    }

    @Override
    public String toString() {
        return "MacosMemoryProvider[" + NAME + ", not implemented]";
    }
}
