/**
 * Platform memory for Windows ({@code VirtualAlloc}, {@code VirtualFree} and {@code VirtualProtect}), chosen with {@code platform.provider = windows}. Not
 * implemented yet: the provider is present so that configurations can name it, and reports
 * itself unsupported everywhere.
 */
module io.tinyalloc.platform.windows {
    requires io.tinyalloc;

    provides io.tinyalloc.spi.PlatformMemoryProvider
            with io.tinyalloc.platform.windows.WindowsMemoryProvider;
}
