package io.tinyalloc.core;

import java.util.Arrays;

/** A growable list of {@code long}s without boxing, for slow-path bookkeeping. Not thread-safe. */
final class LongList {

    private static final int INITIAL_CAPACITY = 8;

    private long[] values = new long[INITIAL_CAPACITY];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    /** Removes one occurrence of {@code value}, not keeping the order; returns whether it was there. */
    boolean remove(long value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                values[i] = values[--size];
                return true;
            }
        }
        return false;
    }

    boolean contains(long value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
