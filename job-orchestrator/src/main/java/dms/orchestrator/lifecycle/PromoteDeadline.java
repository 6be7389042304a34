package dms.orchestrator.lifecycle;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A promote has {@code dms.promote.drain-timeout} (5 min) to drain every database. The deadline is
 * set when the job enters RUNNING/PROMOTE_IN_PROGRESS and travels in each DRAIN control: the
 * cdc-worker gives up then, reporting where the drain stuck. Should no report come (no cdc-worker
 * running, or Kafka away), the promote timer fails the databases still draining {@link #REPORT_GRACE}
 * later: a promote never waits for ever.
 */
public final class PromoteDeadline {

    public static final JobStatus PROMOTING = JobStatus.of(JobState.RUNNING, JobPhase.PROMOTE_IN_PROGRESS);
    /** Room for the worker's own report, which says more, to arrive first. */
    public static final Duration REPORT_GRACE = Duration.ofSeconds(15);
    /** Who reports the failure of a drain no worker finished. */
    static final String WORKER = "job-orchestrator (promote deadline)";

    private PromoteDeadline() {}

    /** The job starts promoting now: returns its deadline. */
    static Instant begin(Change c) {
        c.job.promoteDeadline = c.now.plus(c.settings.promoteTimeout());
        return c.job.promoteDeadline;
    }

    /** The databases whose drain is overdue: the job still promoting past its deadline and the grace, not PROMOTED in this run. */
    static List<DatabaseSnapshot> overdue(JobSnapshot job, Instant now) {
        if (!job.status.equals(PROMOTING) || job.promoteDeadline == null || !now.isAfter(job.promoteDeadline.plus(REPORT_GRACE))) {
            return List.of();
        }
        return job.databases.stream()
                .filter(db -> !(db.lastSignal == WorkerSignal.PROMOTED && Long.valueOf(job.runEpoch).equals(db.signalEpoch)))
                .toList();
    }

    /** The database's error when no worker said why. */
    static String reason(Duration timeout) {
        return "promote failed: no cdc-worker finished the drain within " + timeout.toSeconds() + " s (dms.promote.drain-timeout)"
                + " nor reported why: is a cdc-worker running, and is Kafka reachable from it?"
                + "; the slot is kept: resume the job, then promote again";
    }
}
