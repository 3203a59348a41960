package io.tinyalloc.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The purge/reuse race: pages and segments empty, are decommitted by the background purger (or
 * the owner's tick) 1 ms later, and are taken again by the owner, while blocks of the same pages
 * and segments are live and while remote frees empty pages behind the owner's back.
 *
 * <p>The owner keeps a ring of {@value #HELD_BLOCKS} live blocks across states: each state it
 * checks and frees the oldest and allocates a new one, so its live blocks move along the pages
 * and every page empties soon after it fills. It also hands a fresh block to the remote actor,
 * which checks and frees it, so pages also empty by remote frees. A page decommitted while a
 * block of it is live reads as zeroes; a block handed out twice is overwritten by its second
 * holder: either breaks a pattern.
 *
 * <p>Result: r1 the owner's verdict on its ring (1 intact, 0 a held block lost its pattern, 2 a
 * fresh block was one the ring still held), r2 whether the remote actor's block held its pattern.
 */
@JCStressTest
@Description("Pages purged by the background purger and taken again by the owner, with live blocks around them")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Every live block kept its contents; no live block was handed out again.")
@Outcome(expect = FORBIDDEN,
        desc = "A live block lost its contents (purged or handed out twice: 0), or a fresh block was still live (2).")
@State
public class PurgeReuseTest {

    /** Live blocks the owner holds: a few pages' worth, so that pages fill and empty in turn. */
    static final int HELD_BLOCKS = 4 * StressEngines.BLOCKS_PER_PAGE;

    private static final int INTACT = 1;
    private static final int CORRUPTED = 0;
    private static final int HANDED_OUT_TWICE = 2;

    private static final EngineAllocator ENGINE = StressEngines.fastPurge();

    /*
     * The owner's ring. Only the owner actor touches it, and jcstress runs one owner at a time: the
     * runs of a test follow each other, each started after the previous one's threads ended.
     */
    private static final long[] HELD = new long[HELD_BLOCKS];
    private static int oldest;

    private volatile long handedOff;

    @Actor
    public void owner(II_Result result) {
        long block = ENGINE.allocate(StressEngines.BLOCK_BYTE_SIZE);
        int verdict = Blocks.contains(HELD, HELD_BLOCKS, block) ? HANDED_OUT_TWICE : INTACT;
        Blocks.fill(block, Blocks.HANDED_OFF_TAG);
        handedOff = block;

        int slot = oldest;
        oldest = (slot + 1) % HELD_BLOCKS;
        long retiring = HELD[slot];
        HELD[slot] = 0;
        if (retiring != 0) {
            if (!Blocks.intact(retiring, Blocks.OWNER_TAG) && verdict == INTACT) {
                verdict = CORRUPTED;
            }
            ENGINE.free(retiring);
        }
        long fresh = ENGINE.allocate(StressEngines.BLOCK_BYTE_SIZE);
        if (Blocks.contains(HELD, HELD_BLOCKS, fresh) && verdict == INTACT) {
            verdict = HANDED_OUT_TWICE;
        }
        Blocks.fill(fresh, Blocks.OWNER_TAG);
        HELD[slot] = fresh;
        result.r1 = verdict;
    }

    @Actor
    public void remote(II_Result result) {
        long block = Blocks.await(() -> handedOff);
        result.r2 = Blocks.intact(block, Blocks.HANDED_OFF_TAG) ? INTACT : CORRUPTED;
        ENGINE.free(block);
    }
}
