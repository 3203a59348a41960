package io.tinyalloc.strategies;

/**
 * The {@code jemalloc} size classes, the default: four classes per doubling, as in jemalloc.
 *
 * <table class="striped">
 *   <caption>The first classes</caption>
 *   <thead><tr><th scope="col">range</th><th scope="col">step</th><th scope="col">classes (bytes)</th></tr></thead>
 *   <tbody>
 *     <tr><th scope="row">up to 16</th><td>8</td><td>8, 16</td></tr>
 *     <tr><th scope="row">17 to 128</th><td>16</td><td>32, 48, 64, 80, 96, 112, 128</td></tr>
 *     <tr><th scope="row">129 to 256</th><td>32</td><td>160, 192, 224, 256</td></tr>
 *     <tr><th scope="row">257 to 512</th><td>64</td><td>320, 384, 448, 512</td></tr>
 *     <tr><th scope="row">513 to 1024</th><td>128</td><td>640, 768, 896, 1024</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>From 128 bytes on, the doubling from {@code 2^k} to {@code 2^(k+1)} holds the four classes
 * {@code 2^k + i * 2^(k-2)} for {@code i} from 1 to 4, up to and including {@code max-size}.
 * Every class from 16 bytes on is a multiple of 16, so blocks are 16-byte aligned. With the
 * default {@code max-size} of 64 KiB there are 45 classes.
 *
 * <p>Waste, {@code (block - request) / block}, is below 20 % for every request above 128 bytes;
 * the worst is one byte above a power of two ({@code 129} bytes in a 160-byte block). Below
 * 128 bytes the 16-byte steps bound it to 15 bytes a block.
 *
 * <p>Settings ({@code size-classes.jemalloc}):
 * <ul>
 *   <li>{@code max-size}: the largest class, a memory size; a power of two from 1 KiB to
 *       16 MiB, default 64 KiB.
 * </ul>
 */
public final class JemallocSizeClassesProvider extends GeometricSizeClassesProvider {

    private static final int CLASSES_PER_DOUBLING = 4;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JemallocSizeClassesProvider() {
        super("jemalloc", CLASSES_PER_DOUBLING, "jemalloc-size-classes.conf");
    }
}
