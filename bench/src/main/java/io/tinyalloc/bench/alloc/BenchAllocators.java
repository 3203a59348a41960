package io.tinyalloc.bench.alloc;

import io.tinyalloc.TinyAlloc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The allocators under test, by name:
 *
 * <table>
 * <caption>Allocator names</caption>
 * <tr><th>name</th><th>allocator</th></tr>
 * <tr><td>{@code tinyalloc}</td><td>{@code TinyAlloc.create()}: {@code -Dtinyalloc.config.file},
 *     else {@code tinyalloc.conf} on the class path, else the defaults</td></tr>
 * <tr><td>{@code tinyalloc:FILE}</td><td>{@code TinyAlloc.create(Path.of(FILE))}</td></tr>
 * <tr><td>{@code baseline:glibc}</td><td>the C library's malloc</td></tr>
 * <tr><td>{@code baseline:jemalloc}, {@code baseline:mimalloc}, {@code baseline:tcmalloc}</td>
 *     <td>those libraries, when installed</td></tr>
 * <tr><td>{@code baseline:unsafe}</td><td>{@code sun.misc.Unsafe.allocateMemory}</td></tr>
 * <tr><td>{@code baseline:arena}</td><td>one {@code Arena.ofConfined()} per block</td></tr>
 * <tr><td>{@code baseline:direct}</td><td>{@code ByteBuffer.allocateDirect}, freed by the GC</td></tr>
 * <tr><td>{@code baseline:netty-pooled}, {@code baseline:netty-adaptive}</td>
 *     <td>direct buffers of Netty's {@code PooledByteBufAllocator} and {@code AdaptiveByteBufAllocator}</td></tr>
 * </table>
 *
 * <p>Each class says how it emulates what its API lacks (alignment, {@code reallocate}) and
 * where its committed bytes come from.
 */
public final class BenchAllocators {

    /** tinyalloc with its default configuration. */
    public static final String TINYALLOC = "tinyalloc";
    /** The prefix of tinyalloc with a configuration file: {@code tinyalloc:PATH}. */
    public static final String TINYALLOC_WITH_FILE_PREFIX = "tinyalloc:";
    /** The C library's allocator. */
    public static final String GLIBC = GlibcAllocator.NAME;
    /** {@code sun.misc.Unsafe.allocateMemory}. */
    public static final String UNSAFE = UnsafeAllocator.NAME;
    /** One confined arena per block. */
    public static final String ARENA = ArenaAllocator.NAME;
    /** {@code ByteBuffer.allocateDirect}. */
    public static final String DIRECT = DirectBufferAllocator.NAME;
    /** Netty's pooled allocator's direct buffers. */
    public static final String NETTY_POOLED = NettyAllocator.POOLED_NAME;
    /** Netty's adaptive allocator's direct buffers. */
    public static final String NETTY_ADAPTIVE = NettyAllocator.ADAPTIVE_NAME;

    /** How to get each optional library, for the message when it is missing. */
    private static final Map<String, OptionalLibrary> OPTIONAL_LIBRARIES = Map.of(
            JemallocAllocator.NAME, new OptionalLibrary(JemallocAllocator.LIBRARY, "libjemalloc2",
                    "; Debian's jemalloc needs static TLS: start the JVM with LD_PRELOAD=/usr/lib/x86_64-linux-gnu/"
                            + JemallocAllocator.LIBRARY + " or GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384"),
            MimallocAllocator.NAME, new OptionalLibrary(MimallocAllocator.LIBRARY, "libmimalloc2.0", ""),
            TcmallocAllocator.NAME, new OptionalLibrary(TcmallocAllocator.LIBRARY, "libtcmalloc-minimal4", ""));

    private record OptionalLibrary(String file, String debianPackage, String note) {
    }

    private BenchAllocators() {
    }

    /**
     * Returns the names that {@link #open(String)} knows, {@code tinyalloc:FILE} standing for
     * any configuration file.
     *
     * @return the names
     */
    public static List<String> names() {
        return List.of(TINYALLOC, TINYALLOC_WITH_FILE_PREFIX + "FILE", GLIBC,
                JemallocAllocator.NAME, MimallocAllocator.NAME, TcmallocAllocator.NAME,
                UNSAFE, ARENA, DIRECT, NETTY_POOLED, NETTY_ADAPTIVE);
    }

    /**
     * Opens an allocator by name.
     *
     * @param name one of {@link #names()}
     * @return a new allocator; the caller closes it
     * @throws IllegalArgumentException if the name is unknown
     * @throws AllocatorUnavailableException if that allocator cannot be opened here; the
     *         message says why and what to install
     */
    public static BenchAllocator open(String name) throws AllocatorUnavailableException {
        if (name.equals(TINYALLOC)) {
            return openTinyAlloc(name, null);
        }
        if (name.startsWith(TINYALLOC_WITH_FILE_PREFIX)) {
            return openTinyAlloc(name, Path.of(name.substring(TINYALLOC_WITH_FILE_PREFIX.length())));
        }
        BenchAllocator alwaysThere = switch (name) {
            case GLIBC -> new GlibcAllocator();
            case UNSAFE -> new UnsafeAllocator();
            case ARENA -> new ArenaAllocator();
            case DIRECT -> new DirectBufferAllocator();
            case NETTY_POOLED -> NettyAllocator.pooled();
            case NETTY_ADAPTIVE -> NettyAllocator.adaptive();
            default -> null;
        };
        if (alwaysThere != null) {
            return alwaysThere;
        }
        OptionalLibrary library = OPTIONAL_LIBRARIES.get(name);
        if (library == null) {
            throw new IllegalArgumentException("unknown allocator: " + name + " (expected one of: "
                    + String.join(", ", names()) + ")");
        }
        String failure = NativeLibraries.loadFailure(library.file());
        if (failure != null) {
            throw new AllocatorUnavailableException(name + " is not available: " + failure
                    + " (install the Debian package " + library.debianPackage() + library.note() + ")", null);
        }
        return switch (name) {
            case JemallocAllocator.NAME -> new JemallocAllocator();
            case MimallocAllocator.NAME -> new MimallocAllocator();
            case TcmallocAllocator.NAME -> new TcmallocAllocator();
            default -> throw new AssertionError(name);
        };
    }

    /**
     * Returns tinyalloc's strategy combination when {@code allocator} is tinyalloc.
     *
     * @param allocator an allocator from {@link #open(String)}
     * @return {@code Allocator.describe()} for tinyalloc, the library for a C allocator, the
     *         API for the others
     */
    public static String describe(BenchAllocator allocator) {
        return switch (allocator) {
            case TinyAllocAdapter tinyalloc -> tinyalloc.describe();
            case CAllocator c -> c.describe();
            case UnsafeAllocator unsafe -> "sun.misc.Unsafe allocateMemory/reallocateMemory/freeMemory";
            case ArenaAllocator arena -> "one Arena.ofConfined() per block, closed at free";
            case DirectBufferAllocator direct -> "ByteBuffer.allocateDirect, released by the GC after free";
            case NettyAllocator netty -> netty.committedBytesSource().replace(" metric().usedDirectMemory()", "")
                    + " direct buffers, release() at free";
            default -> allocator.name();
        };
    }

    private static BenchAllocator openTinyAlloc(String name, Path confFile) throws AllocatorUnavailableException {
        if (confFile != null && !Files.isReadable(confFile)) {
            throw new AllocatorUnavailableException(name + ": cannot read " + confFile.toAbsolutePath()
                    + " (expected: a tinyalloc.conf file)", null);
        }
        try {
            return new TinyAllocAdapter(name, confFile == null ? TinyAlloc.create() : TinyAlloc.create(confFile));
        } catch (RuntimeException | LinkageError cannotCreate) {
            throw new AllocatorUnavailableException(name + " is not available: " + cannotCreate, cannotCreate);
        }
    }
}
