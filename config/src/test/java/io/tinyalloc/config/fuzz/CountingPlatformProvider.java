package io.tinyalloc.config.fuzz;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * A platform named {@value #NAME} that passes every call to this machine's real platform and
 * records every reservation, so that a test can tell whether an allocator mapped memory and
 * whether it gave all of it back.
 *
 * <p>It is visible to {@link java.util.ServiceLoader} only inside
 * {@link CountingPlatform#run}, so that no other test sees a second supported platform (which
 * would make {@code platform.provider = auto} ambiguous). What it records is kept in
 * {@link CountingPlatform}.
 */
public final class CountingPlatformProvider implements PlatformMemoryProvider {

    /** The name that {@code platform.provider} selects this provider by. */
    public static final String NAME = "fuzz-counting";

    /** The package of the real platform providers: the ones this provider may pass calls to. */
    private static final String REAL_PLATFORM_PACKAGE_PREFIX = "io.tinyalloc.platform.";

    /** Created by {@link java.util.ServiceLoader}. */
    public CountingPlatformProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlatformMemory create(Config settings) {
        return new Counting(RealPlatform.PROVIDER.create(ConfigFactory.empty()));
    }

    /** The one real platform supported here, found once, without this provider. */
    private static final class RealPlatform {
        static final PlatformMemoryProvider PROVIDER = find();

        private static PlatformMemoryProvider find() {
            List<PlatformMemoryProvider> supported = ServiceLoader
                    .load(PlatformMemoryProvider.class, CountingPlatformProvider.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(provider -> provider.getClass().getName().startsWith(REAL_PLATFORM_PACKAGE_PREFIX))
                    .filter(PlatformMemoryProvider::isSupported)
                    .toList();
            if (supported.size() != 1) {
                throw new IllegalStateException("expected one supported io.tinyalloc platform on the test class path, found: "
                        + supported.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", ")));
            }
            return supported.getFirst();
        }
    }

    /** Counts reservations and the bytes reserved and not yet released. */
    private static final class Counting implements PlatformMemory {
        private final PlatformMemory real;

        Counting(PlatformMemory real) {
            this.real = real;
        }

        @Override
        public long pageByteSize() {
            return real.pageByteSize();
        }

        @Override
        public long reserve(long byteSize, long byteAlignment) {
            CountingPlatform.reserving();
            long address = real.reserve(byteSize, byteAlignment);
            CountingPlatform.reserved(byteSize);
            return address;
        }

        @Override
        public void commit(long address, long byteSize) {
            real.commit(address, byteSize);
        }

        @Override
        public void decommit(long address, long byteSize) {
            real.decommit(address, byteSize);
        }

        @Override
        public void reset(long address, long byteSize) {
            real.reset(address, byteSize);
        }

        @Override
        public void release(long address, long byteSize) {
            real.release(address, byteSize);
            CountingPlatform.released(byteSize);
        }

        @Override
        public void protect(long address, long byteSize, Protection protection) {
            real.protect(address, byteSize, protection);
        }
    }
}
