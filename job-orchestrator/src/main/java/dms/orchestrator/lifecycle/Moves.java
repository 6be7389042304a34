package dms.orchestrator.lifecycle;

import dms.common.messages.CdcControl;
import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import java.time.Instant;
import java.util.Set;

/**
 * Moving a job to a new status and the work entering it asks of the workers, per database: dump
 * tasks and the desired state of CDC streams. The caller decided the move is allowed (by
 * {@link dms.common.statemachine.JobStateMachine}).
 */
final class Moves {

    private Moves() {}

    /**
     * Moves the job, records the event and sends the entry work. {@code restartOnly} names the databases a
     * restart wipes (null: all of them); the others resume where they were.
     */
    static void move(Change c, JobStatus to, String message, boolean purgeDestination, Set<String> restartOnly) {
        JobSnapshot job = c.job;
        JobStatus from = job.status;
        if (purgeDestination && from.state() == JobState.COMPLETED) {
            // Promoted: the destination is the user's database now, never a job's to drop.
            purgeDestination = false;
            message += "; destination databases kept: the job was promoted";
        }
        job.status = to;
        if (to.state() == JobState.FAILED) {
            FailedDatabases.describe(job);
        } else {
            job.errorCode = null;
            job.errorMessage = null;
        }
        c.event(JobEvent.Type.STATUS_CHANGED, from, to, null, message);
        enter(c, from, purgeDestination, restartOnly);
    }

    static void move(Change c, JobStatus to, String message) {
        move(c, to, message, false, null);
    }

    private static void enter(Change c, JobStatus from, boolean purgeDestination, Set<String> restartOnly) {
        JobStatus to = c.job.status;
        Instant drainDeadline = to.equals(PromoteDeadline.PROMOTING) ? PromoteDeadline.begin(c) : null;
        for (DatabaseSnapshot db : c.job.databases) {
            switch (to.state()) {
                case STARTING -> c.task(DumpTask.Kind.PREPARE_DATABASE, db, null);
                case RESTARTING -> {
                    if (restartOnly == null || restartOnly.contains(db.name)) {
                        // No desired state until the new slot exists (DUMP_STARTED: watch): the stream halts, and the
                        // old slot, maybe invalidated (which the restart mends), is not watched while it is replaced.
                        c.cdcCleared(db);
                        // One task, so that wiping and preparing cannot run out of order on two workers.
                        c.task(DumpTask.Kind.PREPARE_DATABASE, db, true);
                    } else {
                        resume(c, db);
                    }
                }
                case RESUMING -> resume(c, db);
                case RUNNING -> {
                    // No RUN on reaching CDC: each database's stream started when its own dump completed (follow).
                    if (to.phase() == JobPhase.PROMOTE_IN_PROGRESS) {
                        c.add(new Effect.Cdc(db.name, CdcControl.Desired.DRAIN, c.now, drainDeadline));
                    }
                }
                case STOPPING -> {
                    // Streams exist only for databases whose dump is complete; a stop in the dump settles when its copies have.
                    if (to.phase() != JobPhase.FULL_DUMP || db.phase() == JobPhase.CDC) {
                        c.cdc(db, CdcControl.Desired.STOP);
                    }
                }
                case FAILED -> {
                    if (FailedDatabases.failed(c.job, db) || from.phase() == JobPhase.PROMOTE_IN_PROGRESS) {
                        // Only the failed database stops: the others go on copying or streaming. A promote is one
                        // cutover for the job: every drain stops (a finished one would drop its slot under a resume).
                        c.cdc(db, CdcControl.Desired.STOP);
                    } else if (db.phase() == JobPhase.FULL_DUMP && (from.state() == JobState.STOPPING || from.state() == JobState.STOPPED)) {
                        // A stopped dump stays stopped: its copies wait for the new snapshot a restart or resume asks for.
                        db.snapshotName = null;
                        db.syncLsn = null;
                    }
                }
                case DELETING -> {
                    c.cdc(db, CdcControl.Desired.STOP);
                    c.task(DumpTask.Kind.CLEANUP, db, purgeDestination);
                }
                case COMPLETED, DELETED -> c.cdcCleared(db);
                default -> { }
            }
        }
    }

    /** A database going on where it was: its stream if its dump is complete, else its dump. */
    private static void resume(Change c, DatabaseSnapshot db) {
        if (db.phase() == JobPhase.CDC) {
            CopyUnits.carry(c, db);
            c.cdc(db, CdcControl.Desired.RUN);
        } else if (!DumpSteps.resume(c, db)) {
            // Stopped before its plan: nothing of it is worth keeping.
            c.task(DumpTask.Kind.PREPARE_DATABASE, db, true);
        }
    }

    /** A database whose dump is complete follows the source (its stream runs). */
    static void follow(Change c, DatabaseSnapshot db) {
        c.cdc(db, CdcControl.Desired.RUN);
    }

    /**
     * A database whose slot now exists (its dump began): no stream yet, but a cdc-worker watches the
     * slot (invalidated? how much WAL it retains) from now on, as it does once the stream runs.
     */
    static void watch(Change c, DatabaseSnapshot db) {
        c.cdc(db, CdcControl.Desired.WATCH);
    }

    /**
     * The job's running streams get its profiles as stored now (after a profile edit, or secrets
     * re-encrypted with a new key): their desired state is sent again, and a cdc-worker restarts a
     * stream whose servers changed, so it reconnects with the new settings. A promote's drain is left
     * alone; stopped or failed streams get the profiles when they run again.
     */
    static void refreshStreams(Change c) {
        JobStatus status = c.job.status;
        boolean streaming = status.state() == JobState.RESUMING
                || status.state() == JobState.RUNNING && status.phase() != JobPhase.PROMOTE_IN_PROGRESS;
        if (!streaming) {
            return;
        }
        c.job.databases.stream().filter(db -> db.phase() == JobPhase.CDC).forEach(db -> follow(c, db));
    }
}
