package dms.orchestrator.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CopyRange;
import dms.common.messages.CopyUnit;
import dms.common.messages.WorkerEvent;
import dms.orchestrator.dump.CopyRetryPolicy;
import dms.orchestrator.dump.CopyUnitEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The order units are handed out in, and what the lifecycle does with a failed attempt of a unit (queued again with a due time, or
 * failed for good) and what the audit trail says about it.
 */
class CopyUnitsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final String ERROR = "canceling statement due to lock timeout (SQLSTATE 55P03)";

    @Test
    void aFailedAttemptIsQueuedAgainDueAfterItsBackoff() {
        UnitSnapshot unit = copying(1);
        CopyRetryPolicy.Decision d = CopyUnits.failed(unit, failure(true), CopyRetryPolicy.DEFAULT, NOW);
        assertEquals(new CopyRetryPolicy.RetryAfter(Duration.ofSeconds(5)), d);
        assertEquals(CopyUnitEntity.State.QUEUED, unit.state);
        assertEquals(NOW.plusSeconds(5), unit.notBefore);
        assertEquals(ERROR, unit.error);

        unit.state = CopyUnitEntity.State.COPYING; // dispatched again when due
        unit.attempts = 2;
        unit.notBefore = null;
        CopyUnits.failed(unit, failure(true), CopyRetryPolicy.DEFAULT, NOW.plusSeconds(6));
        assertEquals(NOW.plusSeconds(6 + 15), unit.notBefore, "the second wait is three times the first");
    }

    @Test
    void theLastAttemptFailsTheUnitForGood() {
        UnitSnapshot unit = copying(3);
        assertEquals(new CopyRetryPolicy.GiveUp(false), CopyUnits.failed(unit, failure(true), CopyRetryPolicy.DEFAULT, NOW));
        assertEquals(CopyUnitEntity.State.FAILED, unit.state);
        assertNull(unit.notBefore);
    }

    @Test
    void aNonRetryableFailureFailsTheUnitAtTheFirstAttempt() {
        UnitSnapshot unit = copying(1);
        assertEquals(new CopyRetryPolicy.GiveUp(true), CopyUnits.failed(unit, failure(false), CopyRetryPolicy.DEFAULT, NOW));
        assertEquals(CopyUnitEntity.State.FAILED, unit.state);
    }

    @Test
    void theAuditTrailSaysWhichAttemptFailedWhyAndWhatComesNext() {
        assertEquals("copy of public.t failed (attempt 1 of 3): " + ERROR + "; retrying in 5 s",
                CopyUnits.attemptFailed(failure(true), new CopyUnits.Recorded(CopyUnits.Outcome.RETRY_SCHEDULED, 1, 3,
                        new CopyRetryPolicy.RetryAfter(Duration.ofSeconds(5)), null)));
        assertEquals("copy of public.t (id in [0, 500)) failed (attempt 2 of 3): " + ERROR + "; retrying in 1.5 s",
                CopyUnits.attemptFailed(failure(true), new CopyUnits.Recorded(CopyUnits.Outcome.RETRY_SCHEDULED, 2, 3,
                        new CopyRetryPolicy.RetryAfter(Duration.ofMillis(1500)), new CopyRange(CopyRange.Kind.PRIMARY_KEY, "id", 0L, 500L))));
        assertEquals("copy of public.t failed (attempt 3 of 3): " + ERROR + "; no attempt left",
                CopyUnits.attemptFailed(failure(true), new CopyUnits.Recorded(CopyUnits.Outcome.FAILED_FOR_GOOD, 3, 3,
                        new CopyRetryPolicy.GiveUp(false), null)));
        assertEquals("copy of public.t failed (attempt 1 of 3): " + ERROR + "; not retryable",
                CopyUnits.attemptFailed(failure(false), new CopyUnits.Recorded(CopyUnits.Outcome.FAILED_FOR_GOOD, 1, 3,
                        new CopyRetryPolicy.GiveUp(true), null)));
    }

    @Test
    void theTableWithTheHeaviestIndexWorkIsHandedOutFirstThenTheBiggest() {
        // 9.8 GB bench: accounts (4.4 GB, one key) first left wide's three index builds alone at the end.
        UnitSnapshot accounts = planned(0, "accounts", 4_400, 5_100);
        UnitSnapshot wide = planned(1, "wide", 3_900, 12_400);
        UnitSnapshot log = planned(2, "log", 6_000, 0);
        UnitSnapshot codes = planned(3, "codes", 1, 2);
        UnitSnapshot history = planned(4, "history", 2_000, 0);
        assertEquals(List.of(wide, accounts, codes, log, history),
                Stream.of(accounts, wide, log, codes, history).sorted(CopyUnits.HANDOUT_ORDER).toList());
    }

    private static UnitSnapshot planned(int unitNo, String table, long bytes, long buildBytes) {
        return UnitSnapshot.planned("db", new CopyUnit(unitNo, "public", table, List.of("id"), null, bytes, 10, buildBytes), 1, NOW);
    }

    private static UnitSnapshot copying(int attempts) {
        return new UnitSnapshot("db", 0, "public", "t", "{}", 1_000, 10, 0, CopyUnitEntity.State.COPYING, 1, attempts,
                null, null, null, null, "snap", null, null, NOW);
    }
    private static WorkerEvent.UnitReport failure(boolean retryable) {
        return new WorkerEvent.UnitReport(0, "public.t", WorkerEvent.UnitState.FAILED, 0, 0, 0, ERROR, retryable, "snap");
    }
}
