package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/**
 * The {@code sizes} setting of the {@code custom} size classes: reads the list and checks each
 * size, so that a table the engine cannot serve is rejected with the configuration, naming the
 * size at fault, for example
 * {@code Invalid value at 'sizes': 40, at index 3 (expected: a multiple of 16, or 8 as the first size)}.
 */
final class CustomSizes {

    /** The key, relative to the provider's settings block. */
    static final String PATH = "sizes";
    /**
     * How many blocks of each class a page must hold: the engine's
     * {@code EngineSettings.MIN_BLOCKS_PER_PAGE}, which this module cannot see. A page is at
     * most a segment, so no class may exceed this fraction of it; the engine's own check against
     * the configured largest page then tightens the bound.
     */
    static final int MIN_BLOCKS_PER_PAGE = 8;
    private static final String EXAMPLE = "[8, 16, 32, 48, 64, 128, 1 KiB]";

    private CustomSizes() {
    }

    /**
     * Reads and checks the sizes.
     *
     * @param settings the provider's settings
     * @param segmentByteSize the engine's segment size, the largest a page can be
     * @return the sizes, in bytes
     * @throws ConfigException.BadValue if the list or one of its sizes is not valid
     */
    static long[] read(Config settings, long segmentByteSize) {
        ConfigValue value = settings.getValue(PATH);
        if (value.valueType() != ConfigValueType.LIST) {
            throw badValue(value, String.valueOf(value.unwrapped()),
                    "a list of memory sizes in ascending order, such as " + EXAMPLE);
        }
        ConfigList list = (ConfigList) value;
        if (list.isEmpty()) {
            throw badValue(value, "[]", "at least one size, such as " + EXAMPLE);
        }
        long maxByteSize = segmentByteSize / MIN_BLOCKS_PER_PAGE;
        long[] byteSizes = new long[list.size()];
        for (int index = 0; index < byteSizes.length; index++) {
            ConfigValue element = list.get(index);
            long byteSize = bytesOf(element, index);
            if (byteSize < SizeClassTable.MIN_BYTE_SIZE) {
                throw badValue(element, at(element, index), "at least " + SizeClassTable.MIN_BYTE_SIZE
                        + " bytes, the smallest block that holds a free-list link");
            }
            long previous = index == 0 ? 0 : byteSizes[index - 1];
            if (byteSize <= previous) {
                throw badValue(element, at(element, index) + ", after " + Settings.describeBytes(previous),
                        "sizes in ascending order, each larger than the one before");
            }
            // Above the first size every size exceeds 8, so this asks a multiple of 16 of all but it.
            if (byteSize != SizeClassTable.alignedByteSize(byteSize)) {
                throw badValue(element, at(element, index), "a multiple of " + SizeClassTable.QUANTUM_BYTE_SIZE
                        + ", or " + SizeClassTable.MIN_BYTE_SIZE + " as the first size, so that blocks are aligned");
            }
            if (byteSize > maxByteSize) {
                throw badValue(element, at(element, index), "at most " + Settings.describeBytes(maxByteSize) + ", so that "
                        + MIN_BLOCKS_PER_PAGE + " blocks fit in a page, which is at most the segment size, "
                        + Settings.describeBytes(segmentByteSize));
            }
            byteSizes[index] = byteSize;
        }
        return byteSizes;
    }

    /** Reads one element as a memory size, reporting a bad one as a bad value of the list. */
    private static long bytesOf(ConfigValue element, int index) {
        try {
            return ConfigFactory.empty().withValue(PATH, element).getBytes(PATH);
        } catch (ConfigException e) {
            throw badValue(element, at(element, index), "a memory size, such as 64 or 1 KiB");
        }
    }

    private static String at(ConfigValue element, int index) {
        return element.unwrapped() + ", at index " + index;
    }

    private static ConfigException.BadValue badValue(ConfigValue value, String written, String expected) {
        return new ConfigException.BadValue(value.origin(), PATH, written + " (expected: " + expected + ")");
    }
}
