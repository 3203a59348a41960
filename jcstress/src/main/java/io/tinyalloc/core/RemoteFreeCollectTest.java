package io.tinyalloc.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The cross-thread free protocol, owner against remote: the remote actor pushes a block on its
 * page's thread-free list (CAS on THREAD_FREE) while the owner frees a block of the same page
 * locally and then allocates the page empty, collecting the thread-free list (getAndSet) when its
 * local list runs out.
 *
 * <p>Result: r1 whether the owner got the remotely freed block back before it left the page,
 * r2 the {@link PageAudit#audit page audit} once both actors are done, r3 whether the block still
 * held its pattern when the remote actor freed it (1) or was handed out while live (0).
 */
@JCStressTest
@Description("Remote free (CAS push on THREAD_FREE) against the owner's local free, pops and collection (getAndSet)")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE,
        desc = "The remote push came before the owner's collection: the block came back once, every block accounted for.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE,
        desc = "The remote push came after the owner left the page: the block waits on the thread-free list, counted as pending.")
@Outcome(expect = FORBIDDEN,
        desc = "A block lost, duplicated or handed out while live, or USED/PENDING_REMOTE wrong (r2: PageAudit code).")
@State
public class RemoteFreeCollectTest {

    private static final EngineAllocator ENGINE = StressEngines.crossThreadFree();
    /** More allocations than a page can serve in a row, counting the one block that comes back. */
    private static final int MAX_ALLOCATIONS = 2 * StressEngines.BLOCKS_PER_PAGE + 2;

    private volatile long handedOff;
    private volatile boolean remoteFreeDone;

    @Actor
    public void owner(III_Result result) {
        long[] pair = new long[2];
        Blocks.allocatePairOnOnePage(ENGINE, pair);
        long kept = pair[0];
        long block = pair[1];
        long page = PageAudit.pageOf(ENGINE, block);
        Blocks.fill(block, Blocks.HANDED_OFF_TAG);
        handedOff = block;

        ENGINE.free(kept);
        long[] live = new long[MAX_ALLOCATIONS];
        int liveCount = 0;
        boolean cameBack = false;
        int problem = PageAudit.OVERSERVED;
        while (liveCount < MAX_ALLOCATIONS) {
            long allocated = ENGINE.allocate(StressEngines.BLOCK_BYTE_SIZE);
            if (Blocks.contains(live, liveCount, allocated)) {
                problem = PageAudit.DUPLICATE;
                break;
            }
            live[liveCount++] = allocated;
            Blocks.fill(allocated, Blocks.OWNER_TAG);
            if (allocated == block || PageAudit.pageOf(ENGINE, allocated) != page) {
                cameBack = allocated == block;
                problem = PageAudit.CONSISTENT;
                break;
            }
        }
        Blocks.await(() -> remoteFreeDone, "the remote free");
        result.r1 = cameBack ? 1 : 0;
        result.r2 = problem != PageAudit.CONSISTENT ? problem : PageAudit.audit(ENGINE, page, live, liveCount);
        Blocks.freeAll(ENGINE, live, liveCount);
    }

    @Actor
    public void remote(III_Result result) {
        long block = Blocks.await(() -> handedOff);
        try {
            result.r3 = Blocks.intact(block, Blocks.HANDED_OFF_TAG) ? 1 : 0;
            ENGINE.free(block);
        } finally {
            remoteFreeDone = true;
        }
    }
}
