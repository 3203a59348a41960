package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;
import java.util.ArrayList;
import java.util.List;

/** Size classes that double from 16 bytes up to {@code max-size}, named {@code test-fake}. */
public class FakeSizeClassesProvider implements SizeClassesProvider {

    static final String MAX_SIZE = "max-size";
    private static final long SMALLEST_CLASS = 16;
    private static final long LARGEST_MAX_SIZE = 16L << 20;

    private final String name;

    public FakeSizeClassesProvider() {
        this("test-fake");
    }

    FakeSizeClassesProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Config defaults() {
        return ConfigFactory.parseString(MAX_SIZE + " = 64 KiB");
    }

    @Override
    public SizeClasses create(StrategyContext context) {
        long maxByteSize = context.settings().getBytes(MAX_SIZE);
        if (maxByteSize < SMALLEST_CLASS || maxByteSize > LARGEST_MAX_SIZE) {
            throw new ConfigException.BadValue(context.settings().getValue(MAX_SIZE).origin(), MAX_SIZE,
                    maxByteSize + " (expected: from 16 B to 16 MiB)");
        }
        List<Long> sizes = new ArrayList<>();
        for (long size = SMALLEST_CLASS; size <= maxByteSize; size <<= 1) {
            sizes.add(size);
        }
        return new SizeClasses() {
            @Override
            public int count() {
                return sizes.size();
            }

            @Override
            public long byteSize(int sizeClass) {
                return sizes.get(sizeClass);
            }
        };
    }

    /** Registered with ServiceLoader twice under one name, to be reported as a duplicate. */
    public static final class DuplicateA extends FakeSizeClassesProvider {
        public DuplicateA() {
            super("test-duplicate");
        }
    }

    /** The other half of {@link DuplicateA}. */
    public static final class DuplicateB extends FakeSizeClassesProvider {
        public DuplicateB() {
            super("test-duplicate");
        }
    }
}
