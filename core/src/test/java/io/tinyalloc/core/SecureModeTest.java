package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hardened mode ({@code secure = on}): each test names the protection it guards and fails if it
 * is taken away. Guard pages are checked in the process's memory map rather than by touching
 * them, which would stop the JVM.
 */
class SecureModeTest {

    private static final long SMALL = 64;
    private static final long LARGE = 1L << 20;
    /** Blocks of one fresh class: more than one OS page of them, so that carving happens twice. */
    private static final int FRESH_BLOCKS = 200;
    private static final Path MAPS = Path.of("/proc/self/maps");

    private Allocator allocator;

    @BeforeEach
    void createAllocator() {
        allocator = CustomEngines.create(settings -> settings.withSecure(true));
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    /** Guards the canary: a one-byte overflow is reported at the free, with the block's address and size. */
    @Test
    void aOneByteOverflowIsReportedAtTheFree() {
        long block = allocator.allocate(SMALL);
        long usable = allocator.usableSize(block);
        overwriteByte(block + usable);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> allocator.free(block));
        String message = error.getMessage();
        assertTrue(message.contains("0x" + Long.toHexString(block)) && message.contains(usable + "-byte")
                && message.contains("past its end"), message);
        assertStillUsable();
    }

    /** Guards the canary on the remote free path. */
    @Test
    void anOverflowIsReportedWhenAnotherThreadFrees() throws Exception {
        long block = allocator.allocate(SMALL);
        overwriteByte(block + allocator.usableSize(block) + 3);
        Throwable thrown = CompletableFuture.supplyAsync(() -> {
            try {
                allocator.free(block);
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }, runnable -> Thread.ofPlatform().start(runnable)).get();
        assertTrue(thrown != null && thrown.getMessage().contains("past its end"), String.valueOf(thrown));
    }

    /** Guards the link check: a write after free that corrupts a free-list link is caught, not followed. */
    @Test
    void aCorruptedFreeListLinkIsDetectedNotFollowed() {
        long[] blocks = new long[8];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.allocate(SMALL);
        }
        for (long block : blocks) {
            allocator.free(block);
        }
        long lastFreed = blocks[blocks.length - 1];
        NativeMemory.putLongPlain(lastFreed, 0x4141_4141_4141_4141L); // a write after free
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < blocks.length; i++) {
                allocator.allocate(SMALL);
            }
        });
        assertTrue(error.getMessage().contains("heap corruption"), error.getMessage());
        assertStillUsable();
    }

    /** Guards the random carving order: fresh blocks do not come out in address order. */
    @Test
    void freshBlocksComeOutInRandomOrder() {
        long[] addresses = allocateFresh(allocator);
        long[] sorted = addresses.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, addresses), "blocks handed out in address order");
        try (Allocator ordinary = CustomEngines.create(settings -> settings)) {
            long[] ordered = allocateFresh(ordinary);
            long[] orderedSorted = ordered.clone();
            Arrays.sort(orderedSorted);
            assertTrue(Arrays.equals(orderedSorted, ordered), "without secure, fresh blocks come in address order");
        }
    }

    /** Guards the segment guard page: the last OS page of a small block's segment is inaccessible. */
    @Test
    void theLastPageOfASegmentIsAGuard() throws IOException {
        long block = allocator.allocate(SMALL);
        long segmentByteSize = TestEngines.Recipe.DEFAULT.segmentByteSize();
        long guard = (block & -segmentByteSize) + segmentByteSize - TestEngines.osPageByteSize();
        assertEquals("---p", permissionsAt(guard), "segment guard at 0x" + Long.toHexString(guard));
        assertEquals("rw-p", permissionsAt(block));
        allocator.free(block);
    }

    /** Guards the large guard page: the page right after a large block's usable bytes is inaccessible. */
    @Test
    void thePageAfterALargeBlockIsAGuard() throws IOException {
        long block = allocator.allocate(LARGE);
        long end = block + allocator.usableSize(block);
        assertEquals(0, end % TestEngines.osPageByteSize(), "usable bytes end on a page boundary");
        assertEquals("---p", permissionsAt(end), "large guard at 0x" + Long.toHexString(end));
        assertEquals("rw-p", permissionsAt(end - 1));
        allocator.free(block);
    }

    /** Hardened mode implies the checks: a double free is reported even with checks off. */
    @Test
    void secureImpliesChecks() {
        try (Allocator hardened = CustomEngines.create(settings -> settings.withChecks(false).withSecure(true))) {
            long block = hardened.allocate(SMALL);
            hardened.free(block);
            assertThrows(IllegalArgumentException.class, () -> hardened.free(block));
        }
    }

    /** Changes the byte at {@code address}, whatever it was: a fixed value would match a canary's byte one time in 256. */
    private static void overwriteByte(long address) {
        MemorySegment bytes = MemorySegment.ofAddress(address).reinterpret(1);
        bytes.set(ValueLayout.JAVA_BYTE, 0, (byte) ~bytes.get(ValueLayout.JAVA_BYTE, 0));
    }

    private static long[] allocateFresh(Allocator allocator) {
        long[] addresses = new long[FRESH_BLOCKS];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = allocator.allocate(SMALL);
        }
        for (long address : addresses) {
            allocator.free(address);
        }
        return addresses;
    }

    private void assertStillUsable() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < FRESH_BLOCKS; i++) {
            long block = allocator.allocate(SMALL);
            assertTrue(seen.add(block), "handed out twice: 0x" + Long.toHexString(block));
        }
        seen.forEach(allocator::free);
    }

    /** The permissions of the mapping that holds {@code address}, as /proc/self/maps writes them. */
    private static String permissionsAt(long address) throws IOException {
        List<String> lines = Files.readAllLines(MAPS);
        for (String line : lines) {
            String[] fields = line.split("\\s+");
            String[] range = fields[0].split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            if (address >= start && address < end) {
                return fields[1];
            }
        }
        return "unmapped";
    }
}
