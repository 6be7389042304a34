package dms.orchestrator.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.WorkerEvent;
import dms.orchestrator.progress.StaleLag;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.WorkerSignal;
import org.junit.jupiter.api.Test;

/** A stream that keeps failing shows it: how many times it ended since it last applied, and why; its lag is never stale. */
class CdcRetriesTest {

    @Test
    void troublesAndSilentEndsCountUntilTheStreamAppliesAgain() {
        DatabaseProgress p = streaming("0/100");
        p = apply(p, trouble("CDC interrupted, starting again: the source is unreachable"), false);
        assertEquals(1, p.cdcRetries());
        assertEquals("CDC interrupted, starting again: the source is unreachable", p.lastError());
        assertEquals(p.lastError(), p.error());

        p = apply(p, signal(WorkerSignal.RESUMED), false);
        assertEquals(1, p.cdcRetries(), "the start after a reported trouble is not another end");
        assertNull(p.error(), "the passing error is cleared by the start");
        assertEquals("CDC interrupted, starting again: the source is unreachable", p.lastError());

        // The worker dies (out of memory) without a word; another one starts the stream again.
        p = apply(p, signal(WorkerSignal.RESUMED), true);
        assertEquals(2, p.cdcRetries());
        assertTrue(p.lastError().startsWith("the stream ended without a report"), p.lastError());

        p = apply(p, lag("0/100", 5.0), true);
        assertEquals(2, p.cdcRetries(), "applied nothing since: still counting");
        p = apply(p, lag("0/200", 0.2), true);
        assertNull(p.cdcRetries());
        assertNull(p.lastError());
    }

    @Test
    void aStopAndResumeIsNoRetry() {
        DatabaseProgress p = apply(streaming("0/100"), signal(WorkerSignal.RESUMED), false);
        assertNull(p.cdcRetries());
    }

    @Test
    void theLagIsUnknownOnceTheStreamStartsStopsOrEnds() {
        DatabaseProgress p = streaming("0/100");
        assertEquals(0.5, p.lagSeconds());
        assertNull(apply(p, signal(WorkerSignal.RESUMED), true).lagSeconds(), "a new stream: not measured yet");
        assertNull(apply(p, signal(WorkerSignal.STOPPED), true).lagSeconds(), "stopped: nothing is applied");
        assertNull(apply(p, trouble("CDC interrupted"), true).lagBytes());
        DatabaseProgress slotOnly = apply(p, new WorkerEvent.StreamProgress(header(), null, null, 10L, null, null, null), true);
        assertEquals(0.5, slotOnly.lagSeconds(), "a report of the slot alone keeps the stream's lag");
        assertEquals(10L, slotOnly.retainedWalBytes());
    }

    @Test
    void aLagNoWorkerReportsAnyMoreReadsUnknownAfterAMinute() {
        DatabaseProgress p = streaming("0/100");
        java.time.Instant reported = p.updateTime();
        assertTrue(!StaleLag.isStale(p, reported.plusSeconds(59), java.time.Duration.ofSeconds(60)));
        assertTrue(StaleLag.isStale(p, reported.plusSeconds(61), java.time.Duration.ofSeconds(60)));
        DatabaseProgress unknown = p.withoutLag();
        assertNull(unknown.lagSeconds());
        assertTrue(!StaleLag.isStale(unknown, reported.plusSeconds(600), java.time.Duration.ofSeconds(60)), "once unknown, left alone");
        assertEquals(1000L, unknown.retainedWalBytes());
    }

    private static DatabaseProgress streaming(String applied) {
        DatabaseProgress p = ReportedProgress.merge(DatabaseProgress.initial("db"), signal(WorkerSignal.DUMP_COMPLETED));
        assertEquals(JobPhase.CDC, p.phase());
        return ReportedProgress.merge(p, lag(applied, 0.5));
    }

    private static DatabaseProgress apply(DatabaseProgress before, WorkerEvent e, boolean streamingBefore) {
        return CdcRetries.count(before, ReportedProgress.merge(before, e), e, streamingBefore);
    }

    private static WorkerEvent signal(WorkerSignal signal) {
        return WorkerEvent.signal("j", 1, "db", signal, "w");
    }

    private static WorkerEvent trouble(String error) {
        return new WorkerEvent.StreamTrouble(header(), error);
    }

    private static WorkerEvent lag(String applied, double seconds) {
        return new WorkerEvent.StreamProgress(header(), 100L, seconds, 1000L, -1L, applied, null);
    }

    private static WorkerEvent.Header header() {
        return WorkerEvent.Header.of("j", 1, "db", "w");
    }
}
