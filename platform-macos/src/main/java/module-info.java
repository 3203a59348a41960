/**
 * Platform memory for macOS ({@code mmap}, {@code madvise}, {@code mprotect} and {@code munmap}), chosen with {@code platform.provider = macos}. Not
 * implemented yet: the provider is present so that configurations can name it, and reports
 * itself unsupported everywhere.
 */
module io.tinyalloc.platform.macos {
    requires io.tinyalloc;

    provides io.tinyalloc.spi.PlatformMemoryProvider
            with io.tinyalloc.platform.macos.MacosMemoryProvider;
}
