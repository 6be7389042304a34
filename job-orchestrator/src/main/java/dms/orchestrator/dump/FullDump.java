package dms.orchestrator.dump;

import dms.common.kafka.Topics;
import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.TableName;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.metrics.TaskMetrics;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * The orchestrator's side of a full dump, per database: take the plan a preparing worker
 * reports, hand out the copies ({@link CopyScheduler}), and when every unit is copied ask
 * for post-data (indexes, constraints, sequences), whose worker then signals DUMP_COMPLETED.
 * When the snapshot is lost (resume, its holder died) the tables not copied yet are copied
 * again under a new one (docs/data-path.md, rule 2: the resumable path).
 */
@ApplicationScoped
public class FullDump {

    /** Snapshots a database may lose in one run before its job fails (each costs a re-copy of what was in flight). */
    static final int MAX_SNAPSHOTS_LOST = 5;

    @Inject
    CopyScheduler scheduler;
    @Inject
    TaskMetrics metrics;
    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    DumpParallelismSettings parallelism;
    @Inject
    JobEvents events;

    /** DUMP_STARTED: the slot, its snapshot and the units to copy. */
    public void planned(MigrationJobEntity job, JobDatabaseEntity db, WorkerEvent e) {
        db.tablesWithoutIdentity = e.tablesWithoutReplicaIdentity();
        scheduler.plan(job, db, e.snapshotName(), e.units() == null ? List.of() : e.units());
        db.syncLsn = e.consistentLsn();
        db.snapshotsLost = 0;
        if (e.units() == null || e.units().isEmpty()) {
            postData(job, db);
        }
    }

    /**
     * Resume of a dump (a new run epoch): a database that got as far as a plan keeps the tables
     * already copied and asks for a new snapshot for the rest. Returns false for one without a
     * plan, which must be prepared from the start.
     */
    public boolean resume(MigrationJobEntity job, JobDatabaseEntity db) {
        if (!scheduler.planned(job, db)) {
            return false;
        }
        db.snapshotsLost = 0;
        requestSnapshot(job, db);
        return true;
    }

    /**
     * NEW_SNAPSHOT's answer (RESUMED): copies go on under the new snapshot; a database with
     * nothing left to copy goes on to post-data.
     */
    public void snapshotTaken(MigrationJobEntity job, JobDatabaseEntity db, WorkerEvent e) {
        db.snapshotName = e.snapshotName();
        db.syncLsn = e.syncLsn();
        if (scheduler.allCopied(job, db)) {
            postData(job, db);
        }
    }

    /**
     * A unit's report. Returns an error message when the database failed for good, else null. A
     * failed attempt is written to the audit trail: which attempt, the error, and when the next one
     * comes (or that none will).
     */
    public String unitReported(MigrationJobEntity job, JobDatabaseEntity db, WorkerEvent.UnitReport report) {
        CopyScheduler.Recorded recorded = scheduler.record(job, db.name, report);
        if (recorded.decision() != null) {
            events.record(job, JobEvent.Type.WORKER_REPORT, null, null, null, db.name, attemptFailed(report, recorded));
        }
        return switch (recorded.outcome()) {
            case DATABASE_COPIED -> {
                postData(job, db);
                yield null;
            }
            case SNAPSHOT_LOST -> {
                // The worker holding the snapshot is gone: the tables not copied yet go again under a new one.
                if (++db.snapshotsLost > MAX_SNAPSHOTS_LOST) {
                    yield "the exported snapshot was lost " + db.snapshotsLost + " times (" + report.error() + ")";
                }
                metrics.retried(job.id, TaskMetrics.SNAPSHOT);
                requestSnapshot(job, db);
                yield null;
            }
            case FAILED_FOR_GOOD -> "table " + report.table() + ": " + report.error()
                    + (report.retryable() ? " (after " + recorded.attempt() + (recorded.attempt() == 1 ? " attempt)" : " attempts)") : "");
            default -> null;
        };
    }

    /** "copy of public.t failed (attempt 1 of 3): <error>; retrying in 5 s" */
    static String attemptFailed(WorkerEvent.UnitReport report, CopyScheduler.Recorded recorded) {
        String what = "copy of " + report.table() + (recorded.range() == null ? "" : " (" + recorded.range() + ")")
                + " failed (attempt " + recorded.attempt() + " of " + recorded.maxAttempts() + "): " + report.error() + "; ";
        if (recorded.decision() instanceof CopyRetryPolicy.RetryAfter retry) {
            return what + "retrying in " + seconds(retry.delay());
        }
        return what + (((CopyRetryPolicy.GiveUp) recorded.decision()).notRetryable() ? "not retryable" : "no attempt left");
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** After any change: more copies if there is room. Returns how many were sent. */
    public int dispatch(MigrationJobEntity job) {
        return scheduler.dispatch(job);
    }

    /**
     * A stop during the dump is done when no copy is in flight any more (workers cancel theirs)
     * and the streams of the databases already past their dump have stopped.
     */
    public boolean stopSettled(MigrationJobEntity job) {
        if (!job.status().equals(JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP)) || scheduler.inFlight(job) != 0) {
            return false;
        }
        JobDatabaseEntity.getEntityManager().flush();
        return JobDatabaseEntity.ofJob(job.id).stream().filter(db -> db.phase() == JobPhase.CDC)
                .allMatch(db -> db.signalledInRun(job.runEpoch) && db.lastSignal == WorkerSignal.STOPPED);
    }

    /** A database removed from the job: its copies are no longer wanted (a copy in flight finishes unheard). */
    public void forget(MigrationJobEntity job, JobDatabaseEntity db) {
        scheduler.forget(job, db);
    }

    /** The database's copies wait (no snapshot) until a worker takes a new one for the tables not copied yet. */
    private void requestSnapshot(MigrationJobEntity job, JobDatabaseEntity db) {
        db.snapshotName = null;
        db.syncLsn = null;
        List<TableName> recopy = scheduler.requeueUnfinished(job, db);
        DumpTask task = DumpTask.newSnapshot(job.id, job.runEpoch, db.name, ConnectionProfileEntity.forWorkers(job.sourceProfile),
                ConnectionProfileEntity.forWorkers(job.destinationProfile), recopy);
        outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
    }

    private void postData(MigrationJobEntity job, JobDatabaseEntity db) {
        DumpTask task = DumpTask.forDatabase(DumpTask.Kind.POST_DATA, job.id, job.runEpoch, db.name,
                ConnectionProfileEntity.forWorkers(job.sourceProfile), ConnectionProfileEntity.forWorkers(job.destinationProfile),
                null, parallelism.copiesInFlight(job.dumpParallelism));
        outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
    }
}
