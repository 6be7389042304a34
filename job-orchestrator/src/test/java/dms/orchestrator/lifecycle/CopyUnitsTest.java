package dms.orchestrator.dump;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CopyRange;
import dms.common.messages.TableProgress;
import dms.common.messages.WorkerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the scheduler does with a failed attempt of a unit (queued again with a due time, or
 * failed for good), what the audit trail says about it and what the job document shows.
 */
class CopySchedulerTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final String ERROR = "canceling statement due to lock timeout (SQLSTATE 55P03)";

    @Test
    void aFailedAttemptIsQueuedAgainDueAfterItsBackoff() {
        CopyUnitEntity unit = copying(1);
        CopyRetryPolicy.Decision d = CopyScheduler.failed(unit, failure(true), CopyRetryPolicy.DEFAULT, NOW);
        assertEquals(new CopyRetryPolicy.RetryAfter(Duration.ofSeconds(5)), d);
        assertEquals(CopyUnitEntity.State.QUEUED, unit.state);
        assertEquals(NOW.plusSeconds(5), unit.notBefore);
        assertEquals(ERROR, unit.error);

        unit.state = CopyUnitEntity.State.COPYING; // dispatched again when due
        unit.attempts = 2;
        unit.notBefore = null;
        CopyScheduler.failed(unit, failure(true), CopyRetryPolicy.DEFAULT, NOW.plusSeconds(6));
        assertEquals(NOW.plusSeconds(6 + 15), unit.notBefore, "the second wait is three times the first");
    }

    @Test
    void theLastAttemptFailsTheUnitForGood() {
        CopyUnitEntity unit = copying(3);
        assertEquals(new CopyRetryPolicy.GiveUp(false), CopyScheduler.failed(unit, failure(true), CopyRetryPolicy.DEFAULT, NOW));
        assertEquals(CopyUnitEntity.State.FAILED, unit.state);
        assertNull(unit.notBefore);
    }

    @Test
    void aNonRetryableFailureFailsTheUnitAtTheFirstAttempt() {
        CopyUnitEntity unit = copying(1);
        assertEquals(new CopyRetryPolicy.GiveUp(true), CopyScheduler.failed(unit, failure(false), CopyRetryPolicy.DEFAULT, NOW));
        assertEquals(CopyUnitEntity.State.FAILED, unit.state);
    }

    @Test
    void theAuditTrailSaysWhichAttemptFailedWhyAndWhatComesNext() {
        assertEquals("copy of public.t failed (attempt 1 of 3): " + ERROR + "; retrying in 5 s",
                FullDump.attemptFailed(failure(true), new CopyScheduler.Recorded(CopyScheduler.Outcome.RETRY_SCHEDULED, 1, 3,
                        new CopyRetryPolicy.RetryAfter(Duration.ofSeconds(5)), null)));
        assertEquals("copy of public.t (id in [0, 500)) failed (attempt 2 of 3): " + ERROR + "; retrying in 1.5 s",
                FullDump.attemptFailed(failure(true), new CopyScheduler.Recorded(CopyScheduler.Outcome.RETRY_SCHEDULED, 2, 3,
                        new CopyRetryPolicy.RetryAfter(Duration.ofMillis(1500)), new CopyRange(CopyRange.Kind.PRIMARY_KEY, "id", 0L, 500L))));
        assertEquals("copy of public.t failed (attempt 3 of 3): " + ERROR + "; no attempt left",
                FullDump.attemptFailed(failure(true), new CopyScheduler.Recorded(CopyScheduler.Outcome.FAILED_FOR_GOOD, 3, 3,
                        new CopyRetryPolicy.GiveUp(false), null)));
        assertEquals("copy of public.t failed (attempt 1 of 3): " + ERROR + "; not retryable",
                FullDump.attemptFailed(failure(false), new CopyScheduler.Recorded(CopyScheduler.Outcome.FAILED_FOR_GOOD, 1, 3,
                        new CopyRetryPolicy.GiveUp(true), null)));
    }

    @Test
    void theJobDocumentShowsATableWaitingToRetryWithItsLastError() {
        CopyUnitEntity waiting = copying(1);
        CopyScheduler.failed(waiting, failure(true), CopyRetryPolicy.DEFAULT, NOW);
        CopyUnitEntity other = copying(1);
        other.tableName = "fine";
        List<TableProgress> tables = DumpProgress.perTable(List.of(waiting, other));
        TableProgress t = tables.stream().filter(p -> p.table().equals("public.t")).findFirst().orElseThrow();
        assertEquals(TableProgress.State.QUEUED, t.state());
        assertEquals(1, t.attempts());
        assertEquals(ERROR, t.error());
        assertEquals(NOW.plusSeconds(5), t.retryTime());
        TableProgress fine = tables.stream().filter(p -> p.table().equals("public.fine")).findFirst().orElseThrow();
        assertNull(fine.attempts(), "no failure: nothing said");
        assertNull(fine.error());
        assertNull(fine.retryTime());

        waiting.state = CopyUnitEntity.State.COPYING; // the second attempt runs: the last error still shows, no due time
        waiting.attempts = 2;
        waiting.notBefore = null;
        t = DumpProgress.perTable(List.of(waiting)).get(0);
        assertEquals(2, t.attempts());
        assertEquals(ERROR, t.error());
        assertNull(t.retryTime());
    }

    private static CopyUnitEntity copying(int attempts) {
        CopyUnitEntity u = new CopyUnitEntity();
        u.schemaName = "public";
        u.tableName = "t";
        u.state = CopyUnitEntity.State.COPYING;
        u.attempts = attempts;
        u.estimatedBytes = 1_000;
        return u;
    }

    private static WorkerEvent.UnitReport failure(boolean retryable) {
        return new WorkerEvent.UnitReport(0, "public.t", WorkerEvent.UnitState.FAILED, 0, 0, 0, ERROR, retryable, "snap");
    }
}
