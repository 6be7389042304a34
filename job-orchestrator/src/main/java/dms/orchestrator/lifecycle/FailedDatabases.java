package dms.orchestrator.lifecycle;

import dms.common.messages.CdcControl;
import dms.common.messages.ErrorInfo;
import dms.common.messages.JobEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Failure stays where it happens: a database that fails is marked failed for the rest of its run (a
 * restart or resume begins a new one), its stream is stopped and its copies are no longer sent, while
 * the job's other databases go on copying or streaming. The job shows FAILED, with every failed
 * database and its error, and a phase that is its least advanced database's (docs/state-machine.md).
 */
final class FailedDatabases {

    private FailedDatabases() {}

    /** Whether the database failed in the job's current run. */
    static boolean failed(JobSnapshot job, DatabaseSnapshot db) {
        return db.signalledInRun(job.runEpoch) && db.lastSignal == WorkerSignal.FAILED;
    }

    static List<DatabaseSnapshot> of(JobSnapshot job) {
        return job.databases.stream().filter(db -> failed(job, db)).toList();
    }

    /**
     * A database's later signal in the run it failed in (the STOPPED answering the stop it was sent)
     * does not undo its failure; its clean-up and a new failure do count.
     */
    static boolean keepsFailure(JobSnapshot job, DatabaseSnapshot db, WorkerSignal next) {
        return failed(job, db) && next != WorkerSignal.FAILED && next != WorkerSignal.CLEANED_UP;
    }

    /** The job's error: every failed database with its own. */
    static void describe(JobSnapshot job) {
        job.errorCode = ErrorInfo.MIGRATION_FAILED;
        job.errorMessage = of(job).stream()
                .map(db -> "database " + db.name + ": " + Objects.requireNonNullElse(db.progress.error(), "failed"))
                .collect(Collectors.joining("; "));
    }

    /** A database added to a failed job: no task was sent for it, it never reported. */
    private static boolean awaitsNextRun(DatabaseSnapshot db) {
        return db.lastSignal == null && db.phase() == null && db.taskAttempt == 0;
    }

    /** One more database failed in a job already FAILED: only its stream stops. */
    static void another(Change c, DatabaseSnapshot db) {
        c.cdc(db, CdcControl.Desired.STOP);
        describe(c.job);
    }

    /**
     * A FAILED job's phase follows its databases: its least advanced one's (a failed database without a
     * plan counts as dumping once another has one), null while a healthy one is still being prepared or
     * none has a plan. A failed promote keeps its phase.
     */
    static void rephase(Change c) {
        JobStatus status = c.job.status;
        if (status.state() != JobState.FAILED || status.phase() == JobPhase.PROMOTE_IN_PROGRESS) {
            return;
        }
        // A database added while the job failed waits for the resume or restart that prepares it: it does not move the phase.
        List<DatabaseSnapshot> counted = c.job.databases.stream().filter(db -> !awaitsNextRun(db)).toList();
        JobPhase phase;
        if (counted.stream().anyMatch(db -> !failed(c.job, db) && db.phase() == null) || counted.stream().allMatch(db -> db.phase() == null)) {
            phase = null;
        } else {
            phase = counted.stream().allMatch(db -> db.phase() == JobPhase.CDC) ? JobPhase.CDC : JobPhase.FULL_DUMP;
        }
        if (phase != status.phase() && !(phase == null && status.phase() != null)) {
            JobStatus to = JobStatus.of(JobState.FAILED, phase);
            c.job.status = to;
            c.event(JobEvent.Type.STATUS_CHANGED, status, to, null, "the databases that did not fail are "
                    + (phase == JobPhase.CDC ? "following the source" : "being dumped"));
        }
    }
}
