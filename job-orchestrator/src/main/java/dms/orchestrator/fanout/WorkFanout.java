package dms.orchestrator.fanout;

import dms.common.kafka.Topics;
import dms.common.messages.CdcControl;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.DumpTask;
import dms.common.messages.ReplicationNames;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.dump.FullDump;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The work a status asks of the workers, per database: dump tasks on dms.dump-tasks and the
 * desired state of CDC streams on dms.cdc-control. Written to the outbox with the status
 * change, so work is sent if and only if the change is committed.
 *
 * <p>Dump workers also watch dms.job-state: a job that leaves RUNNING/FULL_DUMP (stop,
 * delete) cancels its copies there; a task carries the run epoch it belongs to.
 */
@ApplicationScoped
public class WorkFanout {

    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    FullDump fullDump;
    @Inject
    PromoteDeadlines promoteDeadlines;

    /**
     * The work of entering the job's new status, for each of its databases. {@code restartOnly}
     * names the databases a restart wipes (null: all of them); the others resume where they were.
     */
    public void onEnter(MigrationJobEntity job, List<JobDatabaseEntity> databases, JobStatus from, boolean purgeDestination,
                        Set<String> restartOnly) {
        JobStatus to = job.status();
        ConnectionProfile source = ConnectionProfileEntity.forWorkers(job.sourceProfile);
        ConnectionProfile destination = ConnectionProfileEntity.forWorkers(job.destinationProfile);
        Instant now = Instant.now();
        Instant drainDeadline = to.equals(PromoteDeadlines.PROMOTING) ? promoteDeadlines.begin(job, now) : null;
        for (JobDatabaseEntity db : databases) {
            switch (to.state()) {
                case STARTING -> task(job, db, DumpTask.Kind.PREPARE_DATABASE, source, destination, null);
                case RESTARTING -> {
                    if (restartOnly == null || restartOnly.contains(db.name)) {
                        // No desired state until the new slot exists (DUMP_STARTED: watch): the stream halts, and the
                        // old slot, maybe invalidated (which the restart mends), is not watched while it is replaced.
                        outbox.add(topics.cdcControl(), CdcControl.key(job.id, db.name), null);
                        // One task, so that wiping and preparing cannot run out of order on two workers.
                        task(job, db, DumpTask.Kind.PREPARE_DATABASE, source, destination, true);
                    } else {
                        resume(job, db, source, destination);
                    }
                }
                case RESUMING -> resume(job, db, source, destination);
                case RUNNING -> {
                    // No RUN on reaching CDC: each database's stream started when its own dump completed (follow).
                    if (to.phase() == JobPhase.PROMOTE_IN_PROGRESS) {
                        cdc(job, db, CdcControl.Desired.DRAIN, source, destination, now, drainDeadline);
                    }
                }
                case STOPPING -> {
                    // Streams exist only for databases whose dump is complete; a stop in the dump settles when its copies have.
                    if (to.phase() != JobPhase.FULL_DUMP || db.phase() == JobPhase.CDC) {
                        cdc(job, db, CdcControl.Desired.STOP, source, destination);
                    }
                }
                case FAILED -> cdc(job, db, CdcControl.Desired.STOP, source, destination);
                case DELETING -> {
                    cdc(job, db, CdcControl.Desired.STOP, source, destination);
                    task(job, db, DumpTask.Kind.CLEANUP, source, destination, purgeDestination);
                }
                case COMPLETED, DELETED -> outbox.add(topics.cdcControl(), CdcControl.key(job.id, db.name), null);
                default -> { }
            }
        }
    }

    /** A database whose dump is complete follows the source (its stream runs). */
    public void follow(MigrationJobEntity job, JobDatabaseEntity db) {
        cdc(job, db, CdcControl.Desired.RUN, ConnectionProfileEntity.forWorkers(job.sourceProfile),
                ConnectionProfileEntity.forWorkers(job.destinationProfile));
    }

    /**
     * The job's running streams get its profiles as stored now (after a profile edit, or secrets
     * re-encrypted with a new key): their desired state is sent again, and a cdc-worker restarts a
     * stream whose servers changed, so it reconnects with the new settings. A promote's drain is left
     * alone; stopped or failed streams get the profiles when they run again.
     */
    public void refreshStreams(MigrationJobEntity job) {
        JobStatus status = job.status();
        boolean streaming = status.state() == JobState.RESUMING
                || status.state() == JobState.RUNNING && status.phase() != JobPhase.PROMOTE_IN_PROGRESS;
        if (!streaming) {
            return;
        }
        for (JobDatabaseEntity db : JobDatabaseEntity.ofJob(job.id)) {
            if (db.phase() == JobPhase.CDC) {
                follow(job, db);
            }
        }
    }

    /**
     * A database whose slot now exists (its dump began): no stream yet, but a cdc-worker watches the
     * slot (invalidated? how much WAL it retains) from now on, as it does once the stream runs.
     */
    public void watch(MigrationJobEntity job, JobDatabaseEntity db) {
        cdc(job, db, CdcControl.Desired.WATCH, ConnectionProfileEntity.forWorkers(job.sourceProfile),
                ConnectionProfileEntity.forWorkers(job.destinationProfile));
    }

    /** A database added to a running job: prepared (slot, snapshot, schema) and dumped like any other. */
    public void prepare(MigrationJobEntity job, JobDatabaseEntity db) {
        task(job, db, DumpTask.Kind.PREPARE_DATABASE, ConnectionProfileEntity.forWorkers(job.sourceProfile),
                ConnectionProfileEntity.forWorkers(job.destinationProfile), null);
    }

    /**
     * A database removed from a running job: its stream halts (no desired state any more) and its
     * slot and publication are dropped on the source; its data stays on the destination.
     */
    public void remove(MigrationJobEntity job, JobDatabaseEntity db) {
        outbox.add(topics.cdcControl(), CdcControl.key(job.id, db.name), null);
        task(job, db, DumpTask.Kind.CLEANUP, ConnectionProfileEntity.forWorkers(job.sourceProfile),
                ConnectionProfileEntity.forWorkers(job.destinationProfile), false);
    }

    /** A database going on where it was: its stream if its dump is complete, else its dump. */
    private void resume(MigrationJobEntity job, JobDatabaseEntity db, ConnectionProfile source, ConnectionProfile destination) {
        if (db.phase() == JobPhase.CDC) {
            cdc(job, db, CdcControl.Desired.RUN, source, destination);
        } else if (!fullDump.resume(job, db)) {
            // Stopped before its plan: nothing of it is worth keeping.
            task(job, db, DumpTask.Kind.PREPARE_DATABASE, source, destination, true);
        }
    }

    private void task(MigrationJobEntity job, JobDatabaseEntity db, DumpTask.Kind kind,
                      ConnectionProfile source, ConnectionProfile destination, Boolean purge) {
        DumpTask task = DumpTask.forDatabase(kind, job.id, job.runEpoch, db.name, source, destination, purge, null);
        outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
    }

    private void cdc(MigrationJobEntity job, JobDatabaseEntity db, CdcControl.Desired desired,
                     ConnectionProfile source, ConnectionProfile destination) {
        cdc(job, db, desired, source, destination, Instant.now(), null);
    }

    /** A DRAIN carries the promote's deadline: the worker gives up then, saying where the drain stuck. */
    private void cdc(MigrationJobEntity job, JobDatabaseEntity db, CdcControl.Desired desired,
                     ConnectionProfile source, ConnectionProfile destination, Instant time, Instant drainDeadline) {
        CdcControl control = new CdcControl(job.id, db.name, job.runEpoch, desired,
                ReplicationNames.slot(job.id, db.name), ReplicationNames.publication(job.id, db.name),
                source, destination, time, drainDeadline);
        outbox.add(topics.cdcControl(), CdcControl.key(job.id, db.name), control);
    }

}
