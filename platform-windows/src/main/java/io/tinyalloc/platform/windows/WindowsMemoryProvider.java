package io.tinyalloc.platform.windows;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;

/**
 * Provides the {@link PlatformMemory} of Windows, named {@code windows}: {@code VirtualAlloc}, {@code VirtualFree} and {@code VirtualProtect} through FFM
 * downcalls.
 *
 * <p><strong>Not implemented yet.</strong> Until it is, {@link #isSupported()} returns
 * {@code false} on every machine, Windows included, so that {@code platform.provider = auto}
 * never picks it, and {@link #create} throws. The provider exists so that the name is known and
 * a configuration that names it fails with a clear message rather than "no such provider".
 */
public final class WindowsMemoryProvider implements PlatformMemoryProvider {

    private static final String NAME = "windows";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public WindowsMemoryProvider() {
    }

    /** @return {@code "windows"} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Returns {@code false}: the Windows platform is not implemented yet.
     *
     * @return {@code false}, on every machine
     */
    @Override
    public boolean isSupported() {
        return false;
    }

    /**
     * Throws: the Windows platform is not implemented yet.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public PlatformMemory create(Config settings) {
        throw new UnsupportedOperationException(
                "the Windows platform is not implemented yet; use platform.provider = linux on Linux");
    }

    @Override
    public String toString() {
        return "WindowsMemoryProvider[" + NAME + ", not implemented]";
    }
}
