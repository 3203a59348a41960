package io.tinyalloc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.TinyAlloc;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The size-class tables and lookups beyond the defaults, selected by name in a configuration
 * and run end to end: every class of the table is allocated, aligned, written, read back and
 * freed through an engine built from the configuration.
 */
class StrategyCatalogTest {

    @BeforeEach
    void onLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux"), "the engine maps memory here");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "size-classes.provider = tinyalloc32",
        "size-classes { provider = custom, custom.sizes = [8, 16, 48, 112, 1 KiB, 4 KiB, 40 KiB] }",
        "page-lookup.provider = radix",
        "page-lookup.provider = radix\nsize-classes.provider = tinyalloc32\nsegment-size = 64 KiB\npage-sizes = [4 KiB, 32 KiB]\nsize-classes.tinyalloc32 {}"})
    void everyClassOfTheTableWorksThroughAnEngineBuiltFromTheConfiguration(String configuration) {
        if (configuration.contains("64 KiB")) {
            // tinyalloc32's largest class needs 8 blocks in the largest page: refused, by validation.
            ConfigException refused = assertThrows(ConfigException.class,
                    () -> TinyAlloc.create(ConfigFactory.parseString(configuration)).close());
            assertTrue(refused.getMessage().contains("largest size class"), refused.getMessage());
            return;
        }
        try (Allocator allocator = TinyAlloc.create(ConfigFactory.parseString(configuration))) {
            List<Long> blocks = new ArrayList<>();
            for (AllocatorStats.SizeClassStats sizeClass : allocator.stats().sizeClasses()) {
                long byteSize = sizeClass.blockByteSize();
                for (int i = 0; i < 3; i++) {
                    long address = allocator.allocate(byteSize);
                    long expectedAlignment = byteSize >= Allocator.MIN_BYTE_ALIGNMENT ? Allocator.MIN_BYTE_ALIGNMENT : 8;
                    assertEquals(0, address % expectedAlignment, configuration + ": a " + byteSize + "-byte block at 0x"
                            + Long.toHexString(address));
                    MemorySegment.ofAddress(address).reinterpret(byteSize).fill((byte) blocks.size());
                    blocks.add(address);
                }
            }
            long large = allocator.allocate(1 << 20);
            for (int i = 0; i < blocks.size(); i++) {
                long byteSize = allocator.usableSize(blocks.get(i));
                MemorySegment block = MemorySegment.ofAddress(blocks.get(i)).reinterpret(byteSize);
                assertEquals((byte) i, block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), configuration + ": block " + i);
                assertEquals((byte) i, block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, byteSize - 1),
                        configuration + ": block " + i);
                allocator.free(blocks.get(i));
            }
            allocator.free(large);
            assertEquals(0, allocator.stats().liveBlocks(), configuration + ": " + allocator.stats());
            assertTrue(allocator.describe().contains(configuration.contains("radix") ? "page-lookup=radix" : "page-lookup=masking"),
                    allocator.describe());
        }
    }
}
