package dms.orchestrator.fanout;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the orchestrator gives up on a promote no cdc-worker answered for. */
class PromoteDeadlinesTest {

    private static final Instant BEGAN = Instant.parse("2025-03-08T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void theDeadlineIsTheTimeoutAfterTheDecision() {
        PromoteDeadlines deadlines = new PromoteDeadlines();
        deadlines.timeout = TIMEOUT;
        MigrationJobEntity job = promoting();
        assertEquals(BEGAN.plus(TIMEOUT), deadlines.begin(job, BEGAN));
        assertEquals(BEGAN.plus(TIMEOUT), job.promoteDeadline);
    }

    @Test
    void theDatabasesNotPromotedInThisRunAreOverdueOnceTheGraceIsOver() {
        MigrationJobEntity job = promoting();
        job.promoteDeadline = BEGAN.plus(TIMEOUT);
        JobDatabaseEntity done = db("done", WorkerSignal.PROMOTED, 3L);
        JobDatabaseEntity stuck = db("stuck", WorkerSignal.RESUMED, 3L);
        JobDatabaseEntity oldRun = db("old-run", WorkerSignal.PROMOTED, 2L);
        List<JobDatabaseEntity> all = List.of(done, stuck, oldRun);

        assertEquals(List.of(), PromoteDeadlines.overdue(job, all, BEGAN.plus(TIMEOUT)), "the worker reports at the deadline");
        assertEquals(List.of(), PromoteDeadlines.overdue(job, all, BEGAN.plus(TIMEOUT).plus(PromoteDeadlines.REPORT_GRACE)));
        Instant after = BEGAN.plus(TIMEOUT).plus(PromoteDeadlines.REPORT_GRACE).plusMillis(1);
        assertEquals(List.of(stuck, oldRun), PromoteDeadlines.overdue(job, all, after));
    }

    @Test
    void aJobNoLongerPromotingIsNeverOverdue() {
        Instant late = BEGAN.plus(Duration.ofHours(1));
        MigrationJobEntity failed = promoting();
        failed.promoteDeadline = BEGAN;
        failed.state = JobState.FAILED; // the worker's report came first
        assertEquals(List.of(), PromoteDeadlines.overdue(failed, List.of(db("a", null, null)), late));

        MigrationJobEntity noDeadline = promoting(); // promoted before the deadline existed
        assertEquals(List.of(), PromoteDeadlines.overdue(noDeadline, List.of(db("a", null, null)), late));
    }

    @Test
    void theReasonSaysWhatToLookAtAndTheWayOut() {
        assertEquals("promote failed: no cdc-worker finished the drain within 300 s (dms.promote.drain-timeout) nor reported why:"
                + " is a cdc-worker running, and is Kafka reachable from it?; the slot is kept: resume the job, then promote again",
                PromoteDeadlines.reason(TIMEOUT));
    }

    private static MigrationJobEntity promoting() {
        MigrationJobEntity job = new MigrationJobEntity();
        job.id = "j";
        job.state = JobState.RUNNING;
        job.phase = JobPhase.PROMOTE_IN_PROGRESS;
        job.runEpoch = 3;
        return job;
    }

    private static JobDatabaseEntity db(String name, WorkerSignal signal, Long epoch) {
        JobDatabaseEntity db = new JobDatabaseEntity();
        db.jobId = "j";
        db.name = name;
        db.lastSignal = signal;
        db.signalEpoch = epoch;
        return db;
    }
}
