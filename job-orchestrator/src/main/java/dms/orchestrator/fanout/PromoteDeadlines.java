package dms.orchestrator.fanout;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A promote has {@code dms.promote.drain-timeout} (5 min) to drain every database. The deadline is
 * set when the job enters RUNNING/PROMOTE_IN_PROGRESS and travels in each DRAIN control: the
 * cdc-worker gives up then, reporting where the drain stuck. Should no report come (no cdc-worker
 * running, or Kafka away), the orchestrator fails the databases still draining {@link #REPORT_GRACE}
 * later ({@link dms.orchestrator.progress.PromoteTimeoutTimer}): a promote never waits for ever.
 */
@ApplicationScoped
public class PromoteDeadlines {

    public static final JobStatus PROMOTING = JobStatus.of(JobState.RUNNING, JobPhase.PROMOTE_IN_PROGRESS);
    /** Room for the worker's own report, which says more, to arrive first. */
    public static final Duration REPORT_GRACE = Duration.ofSeconds(15);

    @ConfigProperty(name = "dms.promote.drain-timeout", defaultValue = "PT5M")
    Duration timeout;

    public Duration timeout() {
        return timeout;
    }

    /** The job starts promoting now: returns its deadline. */
    Instant begin(MigrationJobEntity job, Instant now) {
        job.promoteDeadline = now.plus(timeout);
        return job.promoteDeadline;
    }

    /** The databases whose drain is overdue: the job still promoting past its deadline and the grace, not PROMOTED in this run. */
    public static List<JobDatabaseEntity> overdue(MigrationJobEntity job, List<JobDatabaseEntity> databases, Instant now) {
        if (!job.status().equals(PROMOTING) || job.promoteDeadline == null || !now.isAfter(job.promoteDeadline.plus(REPORT_GRACE))) {
            return List.of();
        }
        return databases.stream()
                .filter(db -> !(db.lastSignal == WorkerSignal.PROMOTED && Long.valueOf(job.runEpoch).equals(db.signalEpoch)))
                .toList();
    }

    /** The database's error when no worker said why. */
    public static String reason(Duration timeout) {
        return "promote failed: no cdc-worker finished the drain within " + timeout.toSeconds() + " s (dms.promote.drain-timeout)"
                + " nor reported why: is a cdc-worker running, and is Kafka reachable from it?"
                + "; the slot is kept: resume the job, then promote again";
    }
}
