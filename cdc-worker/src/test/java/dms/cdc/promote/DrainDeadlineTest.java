package dms.cdc.promote;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CdcControl;
import dms.common.sql.Lsn;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a promote's drain gives up on the worker, and what its error says. */
class DrainDeadlineTest {

    private static final Instant DECIDED = Instant.parse("2025-03-08T12:00:00Z");
    private static final Duration FALLBACK = Duration.ofMinutes(5);

    @Test
    void theDeadlineIsTheOneTheOrchestratorSetWhoeverRunsTheStream() {
        CdcControl drain = control(DECIDED.plusSeconds(90));
        DrainDeadline first = DrainDeadline.of(drain, DECIDED.plusSeconds(1), FALLBACK);
        DrainDeadline takenOver = DrainDeadline.of(drain, DECIDED.plusSeconds(60), FALLBACK);
        assertEquals(DECIDED.plusSeconds(90), first.at());
        assertEquals(first, takenOver, "an instance that takes the stream over keeps the same deadline");
        assertEquals(Duration.ofSeconds(90), first.timeout());
        assertEquals(Duration.ofSeconds(30), first.remaining(DECIDED.plusSeconds(60)));
        assertEquals(Duration.ZERO, first.remaining(DECIDED.plusSeconds(600)), "past: at once");
    }

    @Test
    void aDrainWithoutADeadlineGetsTheFallbackFromWhenItArrived() {
        DrainDeadline d = DrainDeadline.of(control(null), DECIDED.plusSeconds(2), FALLBACK);
        assertEquals(DECIDED.plusSeconds(2).plus(FALLBACK), d.at());
        assertEquals(FALLBACK, d.timeout());
    }

    @Test
    void aLateMarkerSaysWhereItWasWrittenWhatWasAppliedAndWhatToLookAt() {
        DrainOverdue e = DrainOverdue.markerLate(Lsn.parse("0/3000100"), Lsn.parse("0/30000D8"), Lsn.parse("0/2FFF000"),
                Duration.ofSeconds(300));
        assertEquals("the drain marker written at LSN 0/3000100 did not arrive within 300 s: the stream applied up to LSN 0/2FFF000,"
                + " 4.3 KiB of WAL before the marker (the source was at 0/30000D8 when the drain began). Is the stream running and"
                + " applying (its lag, a long transaction, a lock on the destination)?", e.getMessage());
        assertTrue(DrainOverdue.markerLate(Lsn.parse("0/3000100"), Lsn.parse("0/30000D8"), Lsn.ZERO, Duration.ofSeconds(15))
                .getMessage().contains("within 15 s: the stream has applied no transaction yet (the source was at 0/30000D8"));
    }

    @Test
    void aStreamThatNeverRanSaysItsLastError() {
        assertEquals("the stream did not run within 60 s, so no drain marker was applied: the source 10.0.0.5:5432 (database app):"
                + " Connection refused (SQLSTATE 08001)", DrainOverdue.notStreaming(Duration.ofSeconds(60),
                new java.sql.SQLException("the source 10.0.0.5:5432 (database app): Connection refused (SQLSTATE 08001)")).getMessage());
        assertEquals("the stream did not run within 60 s, so no drain marker was applied",
                DrainOverdue.notStreaming(Duration.ofSeconds(60), null).getMessage());
    }

    private static CdcControl control(Instant deadline) {
        return new CdcControl("j", "app", 1, CdcControl.Desired.DRAIN, "slot", "pub", null, null, DECIDED, deadline, null);
    }
}
