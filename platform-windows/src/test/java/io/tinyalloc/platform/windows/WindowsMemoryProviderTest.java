package io.tinyalloc.platform.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class WindowsMemoryProviderTest {

    @Test
    void isFoundByServiceLoaderUnderItsNameAndReportsUnsupported() {
        List<PlatformMemoryProvider> found = ServiceLoader.load(PlatformMemoryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("windows"))
                .toList();

        assertEquals(1, found.size(), () -> "providers named windows: " + found);
        assertInstanceOf(WindowsMemoryProvider.class, found.getFirst());
        assertFalse(found.getFirst().isSupported());
    }

    @Test
    void createExplainsThatThePlatformIsNotImplemented() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new WindowsMemoryProvider().create(ConfigFactory.empty()));

        assertEquals("the Windows platform is not implemented yet; use platform.provider = linux on Linux",
                e.getMessage());
    }
}
