package io.tinyalloc.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A remote free racing with its page going full: the owner allocates every block of the page,
 * holding them all, so that it marks the page full (markFull's CAS of THREAD_FREE from 0 to
 * NOTIFY) while the remote actor frees a block of it. Either the CAS fails and the owner collects
 * the block, or the remote push takes the NOTIFY bit and queues the page for its owner, once.
 *
 * <p>Result: r1 the page's {@link PageAudit#notifyCondition notify condition} once both actors
 * are done, r2 the {@link PageAudit#audit page audit}, r3 whether the block still held its pattern
 * when the remote actor freed it.
 */
@JCStressTest
@Description("Remote free (CAS push on THREAD_FREE) against markFull (CAS 0 -> NOTIFY): the page must come back, once")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE,
        desc = "The page is on its class queue: the owner moved to another page of the queue before this one ran out.")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE,
        desc = "Full and armed: the remote push came first, the owner collected the block and filled the page again.")
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE,
        desc = "Full and notified: the push came after markFull, took the NOTIFY bit and put the page on the notified stack.")
@Outcome(id = "6, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Full, armed and empty of remote blocks, but still on the notified stack: a stale notification.")
@Outcome(expect = FORBIDDEN,
        desc = "A full page with remote blocks off the notified stack (r1 3, never comes back), not armed (4), "
                + "armed with blocks (5); a block lost or duplicated (r2: PageAudit code); a live block handed out (r3 0).")
@State
public class RemoteFreeFullPageTest {

    private static final EngineAllocator ENGINE = StressEngines.crossThreadFree();
    /** More allocations than a page can serve in a row, counting the one block that comes back. */
    private static final int MAX_ALLOCATIONS = 2 * StressEngines.BLOCKS_PER_PAGE + 2;

    private volatile long handedOff;
    private volatile boolean remoteFreeDone;

    @Actor
    public void owner(III_Result result) {
        long[] live = new long[MAX_ALLOCATIONS + 1];
        Blocks.allocatePairOnOnePage(ENGINE, live);
        long block = live[1];
        live[1] = live[0];
        int liveCount = 1;
        long page = PageAudit.pageOf(ENGINE, block);
        Blocks.fill(block, Blocks.HANDED_OFF_TAG);
        handedOff = block;

        int problem = PageAudit.OVERSERVED;
        for (int allocations = 0; allocations < MAX_ALLOCATIONS; allocations++) {
            long allocated = ENGINE.allocate(StressEngines.BLOCK_BYTE_SIZE);
            if (Blocks.contains(live, liveCount, allocated)) {
                problem = PageAudit.DUPLICATE;
                break;
            }
            live[liveCount++] = allocated;
            Blocks.fill(allocated, Blocks.OWNER_TAG);
            if (PageAudit.pageOf(ENGINE, allocated) != page) {
                problem = PageAudit.CONSISTENT;
                break;
            }
        }
        Blocks.await(() -> remoteFreeDone, "the remote free");
        result.r1 = PageAudit.notifyCondition(page);
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
