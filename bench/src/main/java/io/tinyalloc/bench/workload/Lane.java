package io.tinyalloc.bench.workload;

/**
 * What one thread of a threaded workload does: its share of each round, on its own thread.
 * A lane's methods run one at a time, each on its lane's thread, and never while another
 * lane runs a different one: the {@link Crew} separates them with phases, which also publish
 * what one lane wrote for another.
 */
interface Lane {

    /** Builds the live set that the rounds work on; not measured. */
    void fill();

    /** Runs one round: exactly this lane's quota of allocations and frees. */
    void round();

    /** Frees every block that this lane still holds. */
    void drain();
}
