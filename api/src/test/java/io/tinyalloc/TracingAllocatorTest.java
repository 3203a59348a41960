package io.tinyalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tinyalloc.TraceFileDecoder.Rec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracingAllocatorTest {

    private static final int EXAMPLES = 200;
    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 20_000;

    @TempDir
    Path directory;

    @Test
    void writesTheDocumentedBytes() throws IOException {
        Path file = directory.resolve("golden.trace");
        try (TracingAllocator tracer = TracingAllocator.wrap(new FakeAllocator() {
            @Override
            public synchronized long allocate(long byteSize) {
                super.allocate(byteSize);
                return 0x1000;
            }

            @Override
            public synchronized void free(long address) {
            }
        }, file)) {
            tracer.free(tracer.allocate(100));
            tracer.free(0);   // does nothing, so is not recorded
        }

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {(byte) 0x89, 'T', 'A', 'T', 'R', 'A', 'C', 'E', 1});
        expected.writeBytes(new byte[] {0, 100, (byte) 0x80, 0x40});   // allocate, 100 B, at +0x1000 (zigzag 0x2000)
        expected.writeBytes(new byte[] {4, 0});                        // free, at +0
        expected.writeBytes(new byte[] {7, 2});                        // end, 2 records
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    /** Every call kind, random sizes and alignments, read back by the independent decoder. */
    @Test
    void recordsWhatWasDone() {
        qt().withExamples(EXAMPLES).forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(0, 300))
                .checkAssert(choices -> assertEquals(expectedFor(choices), recorded(choices)));
    }

    private List<Rec> recorded(List<Integer> choices) {
        Path file = directory.resolve("random.trace");
        try {
            try (TracingAllocator tracer = TracingAllocator.wrap(new FakeAllocator(), file)) {
                run(choices, tracer, new ArrayList<>());
            }
            return TraceFileDecoder.decode(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Rec> expectedFor(List<Integer> choices) {
        List<Rec> expected = new ArrayList<>();
        run(choices, new FakeAllocator(), expected);
        return expected;
    }

    /** Turns each choice into one call; when {@code log} is given, adds what should be recorded. */
    private static void run(List<Integer> choices, Allocator allocator, List<Rec> log) {
        List<Long> live = new ArrayList<>();
        for (int choice : choices) {
            long byteSize = choice >>> 8;
            int action = choice % 6;
            if (live.isEmpty() || action < 3) {
                long byteAlignment = 1L << (choice % 13);
                switch (action) {
                    case 1 -> log.add(rec(1, byteSize, 0, add(live, allocator.allocateZeroed(byteSize)), 0));
                    case 2 -> log.add(rec(2, byteSize, byteAlignment, add(live, allocator.allocate(byteSize, byteAlignment)), 0));
                    case 3 -> log.add(rec(2, byteSize, byteAlignment,
                            add(live, allocator.allocateSegment(byteSize, byteAlignment).address()), 0));
                    default -> log.add(rec(0, byteSize, 0, add(live, allocator.allocate(byteSize)), 0));
                }
            } else {
                int index = (choice >>> 3) % live.size();
                long address = live.get(index);
                if (action == 3) {
                    long moved = allocator.reallocate(address, byteSize);
                    live.set(index, moved);
                    log.add(rec(3, byteSize, 0, address, moved));
                } else {
                    live.remove(index);
                    if (action == 4) {
                        allocator.free(address);
                    } else {
                        allocator.free(MemorySegment.ofAddress(address));
                    }
                    log.add(rec(4, 0, 0, address, 0));
                }
            }
        }
    }

    private static long add(List<Long> live, long address) {
        live.add(address);
        return address;
    }

    private static Rec rec(int kind, long byteSize, long byteAlignment, long address, long newAddress) {
        return new Rec(kind, 0, byteSize, byteAlignment, address, newAddress);
    }

    /**
     * Threads allocate, reallocate and free, each other's blocks too, through an allocator that
     * hands the last freed address out first: the file must still read as a possible history,
     * with no address allocated while it is live, and each thread's calls in its own order.
     */
    @Test
    void recordsAPossibleOrderWhenThreadsRace() throws Exception {
        Path file = directory.resolve("threads.trace");
        FakeAllocator fake = new FakeAllocator();
        ConcurrentLinkedQueue<Long> handedOver = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        long seed = System.nanoTime();
        List<Throwable> failures = new ArrayList<>();
        try (TracingAllocator tracer = TracingAllocator.wrap(fake, file)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        race(tracer, random, handedOver);
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertEquals(List.of(), failures, "seed " + seed);

        List<Rec> records = TraceFileDecoder.decode(file);
        assertPossibleHistory(records, seed);
        Map<Integer, Long> perThread = records.stream().collect(Collectors.groupingBy(Rec::thread, Collectors.counting()));
        assertEquals(THREADS, perThread.size(), "seed " + seed);
        perThread.values().forEach(count -> assertEquals(CALLS_PER_THREAD, count, "seed " + seed));
    }

    /** Each thread makes exactly {@link #CALLS_PER_THREAD} recorded calls, and frees what it holds at the end. */
    private static void race(Allocator allocator, SplittableRandom random, ConcurrentLinkedQueue<Long> handedOver) {
        List<Long> mine = new ArrayList<>();
        int calls = 0;
        while (calls < CALLS_PER_THREAD) {
            int action = random.nextInt(5);
            boolean mustEmpty = CALLS_PER_THREAD - calls <= mine.size();
            if (mustEmpty || (action == 0 && !mine.isEmpty())) {
                allocator.free(mine.removeLast());
            } else if (action == 1 && !mine.isEmpty()) {
                mine.add(allocator.reallocate(mine.removeLast(), random.nextInt(1000)));
            } else if (action == 2 && !mine.isEmpty()) {
                handedOver.add(mine.removeLast());
                continue;   // not a call
            } else if (action == 3) {
                Long theirs = handedOver.poll();
                if (theirs == null) {
                    continue;
                }
                mine.add(theirs);
                continue;
            } else {
                mine.add(allocator.allocate(random.nextInt(1000)));
            }
            calls++;
        }
        mine.forEach(handedOver::add);   // for nobody: left live, which a trace allows
    }

    private static void assertPossibleHistory(List<Rec> records, long seed) {
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            Rec rec = records.get(i);
            String where = "record " + i + " " + rec + ", seed " + seed;
            switch (rec.kind()) {
                case 3 -> {
                    assertTrue(live.remove(rec.address()), "reallocated while not live: " + where);
                    assertTrue(live.add(rec.newAddress()), "reallocated into a live block: " + where);
                }
                case 4 -> assertTrue(live.remove(rec.address()), "freed while not live: " + where);
                default -> assertTrue(live.add(rec.address()), "allocated while live: " + where);
            }
        }
    }

    @Test
    void callsThatThrowAreNotRecorded() throws IOException {
        Path file = directory.resolve("throws.trace");
        try (TracingAllocator tracer = TracingAllocator.wrap(new FakeAllocator(), file)) {
            assertThrows(IllegalArgumentException.class, () -> tracer.allocate(-1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tracer.allocate(8, 24));
            assertEquals("byteAlignment: 24 (expected: a power of two)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> tracer.free(0xdead0));   // recorded, then refused
        }
        assertEquals(List.of(rec(4, 0, 0, 0xdead0, 0)), TraceFileDecoder.decode(file));
    }

    @Test
    void closeEndsTheFileAndClosesTheWrappedAllocatorOnce() throws IOException {
        Path file = directory.resolve("close.trace");
        FakeAllocator fake = new FakeAllocator();
        TracingAllocator tracer = TracingAllocator.wrap(fake, file);
        long address = tracer.allocate(8);

        tracer.close();
        tracer.close();

        assertTrue(fake.closed);
        assertEquals(1, TraceFileDecoder.decode(file).size());
        assertThrows(IllegalStateException.class, () -> tracer.free(address));
        assertThrows(IllegalStateException.class, () -> tracer.allocate(8));
        assertTrue(tracer.describe().endsWith("fake, traced to " + file), tracer.describe());
    }

    @Test
    void aFileThatCannotBeCreatedIsAnIOException() {
        assertThrows(IOException.class, () -> TracingAllocator.wrap(new FakeAllocator(), directory));
    }

    @Test
    void aFullDiskStopsRecordingAndCloseSaysSo() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        FakeAllocator fake = new FakeAllocator();
        TracingAllocator tracer = TracingAllocator.wrap(fake, full);
        for (int i = 0; i < TraceWriter.BUFFER_BYTE_SIZE; i++) {   // more than a buffer's worth: a write fails
            tracer.free(tracer.allocate(i));
        }
        assertEquals(0, fake.liveCount(), "the allocator kept working");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, tracer::close);

        assertTrue(e.getMessage().startsWith("cannot write the allocation trace /dev/full"), e.getMessage());
        assertTrue(fake.closed);
    }
}
