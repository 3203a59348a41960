package io.tinyalloc.config;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;

/** A platform that maps nothing: enough to be selected and to report a page size. */
public class FakePlatformProvider implements PlatformMemoryProvider {

    static final long OS_PAGE_BYTE_SIZE = 4096;

    private final String name;
    private final boolean supported;

    FakePlatformProvider(String name, boolean supported) {
        this.name = name;
        this.supported = supported;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isSupported() {
        return supported;
    }

    @Override
    public PlatformMemory create(Config settings) {
        return new PlatformMemory() {
            @Override
            public long pageByteSize() {
                return OS_PAGE_BYTE_SIZE;
            }

            @Override
            public long reserve(long byteSize, long byteAlignment) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void commit(long address, long byteSize) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void decommit(long address, long byteSize) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void reset(long address, long byteSize) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void release(long address, long byteSize) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void protect(long address, long byteSize, Protection protection) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** Registered with ServiceLoader: never supported, so that {@code auto} never takes it. */
    public static final class Unsupported extends FakePlatformProvider {
        public Unsupported() {
            super("test-unsupported", false);
        }
    }
}
