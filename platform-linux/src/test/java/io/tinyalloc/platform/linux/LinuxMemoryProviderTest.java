package io.tinyalloc.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinuxMemoryProviderTest {

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        List<PlatformMemoryProvider> linux = ServiceLoader.load(PlatformMemoryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("linux"))
                .toList();

        assertEquals(1, linux.size(), () -> "providers named linux: " + linux);
        assertInstanceOf(LinuxMemoryProvider.class, linux.getFirst());
        assertTrue(linux.getFirst().defaults().isEmpty(), "the linux platform has no settings");
    }

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, true",
        "Linux, x86_64, true",
        "Linux, aarch64, true",
        "Linux, ppc64le, false",
        "Linux, s390x, false",
        "Linux, riscv64, false",
        "Mac OS X, aarch64, false",
        "Windows 11, amd64, false",
        "FreeBSD, amd64, false",
    })
    void isSupportedOnLinuxOnX8664AndAarch64Only(String osName, String osArch, boolean supported) {
        assertEquals(supported, LinuxMemoryProvider.isSupported(osName, osArch));
    }

    @Test
    void createsAWorkingPlatformMemoryHere() {
        LinuxMemoryProvider provider = new LinuxMemoryProvider();
        assumeTrue(provider.isSupported(), "Linux on x86_64 or aarch64 only");

        PlatformMemory memory = provider.create(ConfigFactory.empty());
        long page = memory.pageByteSize();
        long address = memory.reserve(page, page);
        memory.commit(address, page);
        memory.release(address, page);

        assertFalse(address == 0);
    }
}
