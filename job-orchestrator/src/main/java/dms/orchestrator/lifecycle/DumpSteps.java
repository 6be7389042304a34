package dms.orchestrator.lifecycle;

import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.metrics.TaskMetrics;
import java.util.List;

/**
 * The orchestrator's side of a full dump, per database: take the plan a preparing worker
 * reports, hand out the copies ({@link CopyUnits}), and when every unit is copied ask for
 * post-data (indexes, constraints, sequences), whose worker then signals DUMP_COMPLETED.
 * When the snapshot is lost (resume, its holder died) the tables not copied yet are copied
 * again under a new one (docs/data-path.md, rule 2: the resumable path).
 */
final class DumpSteps {

    /** Snapshots a database may lose in one run before its job fails (each costs a re-copy of what was in flight). */
    static final int MAX_SNAPSHOTS_LOST = 5;
    private static final JobStatus STOPPING_DUMP = JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP);

    private DumpSteps() {}

    /** DUMP_STARTED: the slot, its snapshot and the units to copy. */
    static void planned(Change c, DatabaseSnapshot db, WorkerEvent.DumpStarted e) {
        db.tablesWithoutIdentity = e.tablesWithoutReplicaIdentity();
        if (e.replicaIdentityFullSet() != null && !e.replicaIdentityFullSet().isEmpty()) {
            c.event(JobEvent.Type.WORKER_REPORT, null, null, db.name, "set REPLICA IDENTITY FULL on the source tables without key"
                    + " (the job's replicaIdentityFull): " + String.join(", ", e.replicaIdentityFullSet()));
        }
        CopyUnits.plan(c, db, e.snapshotName(), e.units() == null ? List.of() : e.units());
        db.syncLsn = e.consistentLsn();
        db.snapshotsLost = 0;
        if (e.units() == null || e.units().isEmpty()) {
            postData(c, db);
        }
    }

    /**
     * Resume of a dump (a new run epoch): a database that got as far as a plan keeps the tables
     * already copied and asks for a new snapshot for the rest. Returns false for one without a
     * plan, which must be prepared from the start.
     */
    static boolean resume(Change c, DatabaseSnapshot db) {
        if (!CopyUnits.planned(c.job, db)) {
            return false;
        }
        db.snapshotsLost = 0;
        requestSnapshot(c, db);
        return true;
    }

    /**
     * NEW_SNAPSHOT's answer (RESUMED, with the snapshot taken, or none when every table was copied already):
     * copies go on under the new snapshot; a database with nothing left to copy goes on to post-data.
     */
    static void snapshotTaken(Change c, DatabaseSnapshot db, String snapshotName, String syncLsn) {
        db.snapshotName = snapshotName;
        db.syncLsn = syncLsn;
        if (CopyUnits.allCopied(c.job, db)) {
            postData(c, db);
        }
    }

    /**
     * A unit's report ({@code attempt}: the attempt it names, null if none). Returns an error message when the database failed for good, else null. A
     * failed attempt is written to the audit trail: which attempt, the error, and when the next one
     * comes (or that none will).
     */
    static String unitReported(Change c, DatabaseSnapshot db, WorkerEvent.UnitReport report, Integer attempt) {
        CopyUnits.Recorded recorded = CopyUnits.record(c, db.name, report, attempt);
        if (recorded.decision() != null) {
            c.event(JobEvent.Type.WORKER_REPORT, null, null, db.name, CopyUnits.attemptFailed(report, recorded));
        }
        return switch (recorded.outcome()) {
            case DATABASE_COPIED -> {
                if (!FailedDatabases.failed(c.job, db)) {
                    postData(c, db);
                }
                yield null;
            }
            case SNAPSHOT_LOST -> {
                // The worker holding the snapshot is gone: the tables not copied yet go again under a new one.
                if (++db.snapshotsLost > MAX_SNAPSHOTS_LOST) {
                    yield "the exported snapshot was lost " + db.snapshotsLost + " times (" + report.error() + ")";
                }
                c.add(new Effect.Metric(TaskMetrics.SNAPSHOT, true));
                requestSnapshot(c, db);
                yield null;
            }
            case FAILED_FOR_GOOD -> "table " + report.table() + ": " + report.error()
                    + (report.retryable() ? " (after " + recorded.attempt() + (recorded.attempt() == 1 ? " attempt)" : " attempts)") : "");
            default -> null;
        };
    }

    /**
     * A stop during the dump is done when no copy is in flight any more (workers cancel theirs)
     * and the streams of the databases already past their dump have stopped (a failed one's was).
     */
    static boolean stopSettled(JobSnapshot job) {
        return job.status.equals(STOPPING_DUMP) && job.inFlight() == 0
                && job.databases.stream().filter(db -> db.phase() == JobPhase.CDC && !FailedDatabases.failed(job, db))
                        .allMatch(db -> db.signalledInRun(job.runEpoch) && db.lastSignal == WorkerSignal.STOPPED);
    }

    /** The database's copies wait (no snapshot) until a worker takes a new one for the tables not copied yet. */
    static void requestSnapshot(Change c, DatabaseSnapshot db) {
        db.snapshotName = null;
        db.syncLsn = null;
        c.newSnapshot(db, CopyUnits.requeueUnfinished(c, db));
    }

    static void postData(Change c, DatabaseSnapshot db) {
        c.task(DumpTask.Kind.POST_DATA, db, null, c.settings.postDataJobs(c.job.dumpParallelism));
    }
}
