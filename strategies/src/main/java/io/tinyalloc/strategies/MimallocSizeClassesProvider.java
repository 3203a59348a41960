package io.tinyalloc.strategies;

/**
 * The {@code mimalloc} size classes: eight classes per doubling, finer than {@code jemalloc}'s
 * four, for less waste at the cost of more classes (so more partly used pages).
 *
 * <table class="striped">
 *   <caption>The first classes</caption>
 *   <thead><tr><th scope="col">range</th><th scope="col">step</th><th scope="col">classes (bytes)</th></tr></thead>
 *   <tbody>
 *     <tr><th scope="row">up to 16</th><td>8</td><td>8, 16</td></tr>
 *     <tr><th scope="row">17 to 128</th><td>16</td><td>32, 48, 64, 80, 96, 112, 128</td></tr>
 *     <tr><th scope="row">129 to 256</th><td>16</td><td>144, 160, 176, 192, 208, 224, 240, 256</td></tr>
 *     <tr><th scope="row">257 to 512</th><td>32</td><td>288, 320, 352, 384, 416, 448, 480, 512</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>From 128 bytes on, the doubling from {@code 2^k} to {@code 2^(k+1)} holds the eight classes
 * {@code 2^k + i * 2^(k-3)} for {@code i} from 1 to 8, each rounded up to a multiple of 16 and
 * kept only if larger than the class before, up to and including {@code max-size}. (From 128
 * bytes on the steps are multiples of 16 already, so rounding changes nothing.) Every class
 * from 16 bytes on is a multiple of 16. With the default {@code max-size} of 64 KiB there are
 * 81 classes.
 *
 * <p>Waste, {@code (block - request) / block}, is below 1/9 (11.1 %) for every request above
 * 128 bytes, so within the 12.5 % of a step of an eighth; the worst is one byte above a power of
 * two ({@code 129} bytes in a 144-byte block).
 *
 * <p>Settings ({@code size-classes.mimalloc}):
 * <ul>
 *   <li>{@code max-size}: the largest class, a memory size; a power of two from 1 KiB to
 *       16 MiB, default 64 KiB.
 * </ul>
 */
public final class MimallocSizeClassesProvider extends GeometricSizeClassesProvider {

    private static final int CLASSES_PER_DOUBLING = 8;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public MimallocSizeClassesProvider() {
        super("mimalloc", CLASSES_PER_DOUBLING, "mimalloc-size-classes.conf");
    }
}
