package io.tinyalloc.strategies;

import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;
import java.util.Arrays;

/**
 * The {@code tinyalloc32} size classes: the 32 classes of tinyalloc's prototype, for comparing
 * the engine with it on the same spacing.
 *
 * <p>The prototype kept an 8-byte header in front of each block, so its classes above 64 bytes
 * are 8 bytes above a multiple of 16 (1032 is 1024 + 8). This engine keeps no header and gives
 * every block of 16 bytes or more 16-byte alignment by laying blocks out at a stride of their
 * size, so it accepts only classes that are multiples of 16 above 8 bytes. Each prototype class
 * is therefore served by the smallest such size that holds it: 24, 40 and 56 are served by the
 * classes of 32, 48 and 64 bytes, which the prototype has too, so the table has 29 classes.
 *
 * <table class="striped">
 *   <caption>The prototype's classes and the blocks that serve them</caption>
 *   <thead><tr><th scope="col">the prototype's (bytes)</th><th scope="col">served as (bytes)</th></tr></thead>
 *   <tbody>
 *     <tr><th scope="row">8, 16</th><td>8, 16</td></tr>
 *     <tr><th scope="row">24, 32</th><td>32</td></tr>
 *     <tr><th scope="row">40, 48</th><td>48</td></tr>
 *     <tr><th scope="row">56, 64</th><td>64</td></tr>
 *     <tr><th scope="row">72</th><td>80</td></tr>
 *     <tr><th scope="row">136, 200, 264, 392, 520, 648, 776, 904, 1032</th>
 *         <td>144, 208, 272, 400, 528, 656, 784, 912, 1040</td></tr>
 *     <tr><th scope="row">3080, 5128, 7176, 9224</th><td>3088, 5136, 7184, 9232</td></tr>
 *     <tr><th scope="row">13320 to 50184, every 4096</th><td>13328 to 50192, every 4096</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Waste, {@code (block - request) / block}, is below 2/3 for every request above 8 bytes: the
 * prototype's gap from 1032 to 3080 makes the worst a request of 1041 bytes in a 3088-byte block
 * (66.3 %). The largest class, 50192 bytes, needs a largest page of at least 8 times that
 * (the default 512 KiB is enough; a 128 KiB page is not, and the configuration says so).
 *
 * <p>Settings ({@code size-classes.tinyalloc32}): none.
 */
public final class Tinyalloc32SizeClassesProvider implements SizeClassesProvider {

    /** The prototype's classes as it listed them, in bytes. */
    private static final long[] PROTOTYPE_BYTE_SIZES = {
        8, 16, 24, 32, 40, 48, 56, 64, 72,
        136, 200, 264, 392, 520, 648, 776, 904, 1032,
        3080, 5128, 7176, 9224,
        13320, 17416, 21512, 25608, 29704, 33800, 37896, 41992, 46088, 50184,
    };

    private static final String NAME = "tinyalloc32";
    /** Immutable, so one table serves every engine. */
    private static final SizeClasses TABLE = SizeClassTable.of(NAME, servedByteSizes());

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public Tinyalloc32SizeClassesProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SizeClasses create(StrategyContext context) {
        return TABLE;
    }

    /** Each prototype class rounded up to an aligned size, once: classes that round alike merge. */
    static long[] servedByteSizes() {
        return Arrays.stream(PROTOTYPE_BYTE_SIZES).map(SizeClassTable::alignedByteSize).distinct().toArray();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + NAME + "]";
    }
}
