/**
 * Platform memory for Linux on x86_64 and aarch64: {@code mmap}, {@code madvise},
 * {@code mprotect} and {@code munmap} through Foreign Function &amp; Memory API downcalls, chosen
 * with {@code platform.provider = linux} (or {@code auto}).
 *
 * <p>The downcalls are restricted methods: run with
 * {@code --enable-native-access=io.tinyalloc.platform.linux} (or {@code ALL-UNNAMED} on the
 * class path) to avoid the JDK's warning, which future JDKs turn into an error.
 */
module io.tinyalloc.platform.linux {
    requires io.tinyalloc;

    provides io.tinyalloc.spi.PlatformMemoryProvider
            with io.tinyalloc.platform.linux.LinuxMemoryProvider;
}
