package io.tinyalloc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sizes and durations as users write them, and the suggestion for a misspelt key. */
class FormattingTest {

    @Test
    void sizesUseTheLargestExactBinaryUnit() {
        assertEquals("0 B", Sizes.format(0));
        assertEquals("1000 B", Sizes.format(1000));
        assertEquals("96 KiB", Sizes.format(96 << 10));
        assertEquals("4 MiB", Sizes.format(4 << 20));
        assertEquals("64 GiB", Sizes.format(64L << 30));
        assertEquals("-1 KiB", Sizes.format(-1024));
    }

    @Test
    void sizesParseBackToTheSameNumber() {
        qt().forAll(longs().between(0, Long.MAX_VALUE)).checkAssert(byteSize -> assertEquals(byteSize,
                ConfigFactory.parseString("size = " + Sizes.format(byteSize)).getBytes("size")));
    }

    @Test
    void durationsUseTheLargestExactUnit() {
        assertEquals("0 s", Durations.format(0));
        assertEquals("10 ms", Durations.format(TimeUnit.MILLISECONDS.toNanos(10)));
        assertEquals("1 s", Durations.format(TimeUnit.SECONDS.toNanos(1)));
        assertEquals("90 s", Durations.format(TimeUnit.SECONDS.toNanos(90)));
        assertEquals("2 m", Durations.format(TimeUnit.MINUTES.toNanos(2)));
        assertEquals("1 h", Durations.format(TimeUnit.HOURS.toNanos(1)));
        assertEquals("1500 ns", Durations.format(1500));
    }

    @Test
    void durationsParseBackToTheSameNumber() {
        qt().forAll(longs().between(0, Long.MAX_VALUE / 2)).checkAssert(nanos -> assertEquals(nanos,
                ConfigFactory.parseString("age = " + Durations.format(nanos)).getDuration("age", TimeUnit.NANOSECONDS)));
    }

    @Test
    void suggestsTheClosestKeyWithinTypoDistance() {
        List<String> keys = List.of("segment-size", "page-sizes", "arena-size");

        assertEquals(Optional.of("segment-size"), Suggestions.closest("segmnet-size", keys), "swapped letters");
        assertEquals(Optional.of("page-sizes"), Suggestions.closest("page-size", keys), "a letter missing");
        assertEquals(Optional.of("arena-size"), Suggestions.closest("Arena-Size", keys), "letter case");
        assertEquals(Optional.empty(), Suggestions.closest("colour", keys), "nothing close");
        assertEquals(Optional.empty(), Suggestions.closest("ab", List.of("xy")), "short keys need to be closer");
    }
}
