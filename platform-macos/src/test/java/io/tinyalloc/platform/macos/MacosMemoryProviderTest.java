package io.tinyalloc.platform.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MacosMemoryProviderTest {

    @Test
    void isFoundByServiceLoaderUnderItsNameAndReportsUnsupported() {
        List<PlatformMemoryProvider> found = ServiceLoader.load(PlatformMemoryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("macos"))
                .toList();

        assertEquals(1, found.size(), () -> "providers named macos: " + found);
        assertInstanceOf(MacosMemoryProvider.class, found.getFirst());
        assertFalse(found.getFirst().isSupported());
    }

    @Test
    void createExplainsThatThePlatformIsNotImplemented() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new MacosMemoryProvider().create(ConfigFactory.empty()));

        assertEquals("the macOS platform is not implemented yet; use platform.provider = linux on Linux",
                e.getMessage());
    }
}
