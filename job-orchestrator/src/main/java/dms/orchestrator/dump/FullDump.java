package dms.orchestrator.dump;

import dms.common.kafka.Topics;
import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The orchestrator's side of a full dump, per database: take the plan a preparing worker
 * reports, hand out the copies ({@link CopyScheduler}), and when every unit is copied ask
 * for post-data (indexes, constraints, sequences), whose worker then signals DUMP_COMPLETED.
 */
@ApplicationScoped
public class FullDump {

    @Inject
    CopyScheduler scheduler;
    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    DumpParallelismSettings parallelism;

    /** DUMP_STARTED: the slot, its snapshot and the units to copy. */
    public void planned(MigrationJobEntity job, JobDatabaseEntity db, WorkerEvent e) {
        db.tablesWithoutIdentity = e.tablesWithoutReplicaIdentity();
        scheduler.plan(job, db, e.snapshotName(), e.units() == null ? List.of() : e.units());
        if (e.units() == null || e.units().isEmpty()) {
            postData(job, db);
        }
    }

    /** A unit's report. Returns an error message when the database failed for good, else null. */
    public String unitReported(MigrationJobEntity job, JobDatabaseEntity db, WorkerEvent.UnitReport report) {
        return switch (scheduler.record(job, db.name, report)) {
            case DATABASE_COPIED -> {
                postData(job, db);
                yield null;
            }
            case FAILED_FOR_GOOD -> "table " + report.table() + ": " + report.error()
                    + (report.retryable() ? " (after " + CopyScheduler.MAX_ATTEMPTS + " attempts)" : "");
            default -> null;
        };
    }

    /** After any change: more copies if there is room. */
    public void dispatch(MigrationJobEntity job) {
        scheduler.dispatch(job);
    }

    /** A stop during the dump is done when no copy is in flight any more (workers cancel theirs). */
    public boolean stopSettled(MigrationJobEntity job) {
        return job.status().equals(JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP)) && scheduler.inFlight(job) == 0;
    }

    private void postData(MigrationJobEntity job, JobDatabaseEntity db) {
        DumpTask task = DumpTask.forDatabase(DumpTask.Kind.POST_DATA, job.id, job.runEpoch, db.name,
                ConnectionProfileEntity.forWorkers(job.sourceProfile), ConnectionProfileEntity.forWorkers(job.destinationProfile),
                null, parallelism.copiesInFlight(job.dumpParallelism));
        outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
    }
}
