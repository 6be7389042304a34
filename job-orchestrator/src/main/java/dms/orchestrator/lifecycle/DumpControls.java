package dms.orchestrator.lifecycle;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.DumpControl;
import dms.common.messages.DumpControl.DatabaseWork;
import dms.common.messages.DumpControl.Verify;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import java.util.List;

/**
 * What the dump-workers may do for a job, derived from each new version of its document and published with it on
 * dms.dump-control ({@link DumpControl}): the decisions a worker used to guess from the document itself.
 */
public final class DumpControls {

    private DumpControls() {}

    public static DumpControl of(MigrationJob job) {
        List<DatabaseProgress> progress = job.databaseProgress() == null ? List.of() : job.databaseProgress();
        boolean ended = job.state() == JobState.COMPLETED || job.state() == JobState.DELETED;
        return new DumpControl(job.id(), job.runEpoch(), job.version(), job.state() + (job.phase() == null ? "" : "/" + job.phase()),
                ended, progress.stream().map(p -> work(job, p)).toList());
    }

    private static DatabaseWork work(MigrationJob job, DatabaseProgress p) {
        boolean copy = copy(job, p);
        return new DatabaseWork(p.database(), prepare(job, p), copy, copy && !allTablesCopied(p), verify(job));
    }

    /**
     * While the job starts, or for a database not planned yet (its phase unset) that was added to a running job or
     * waited while another database failed the job (failure stays where it happens). A database already planned is not
     * prepared again: that would replace its slot under the copies.
     */
    private static boolean prepare(MigrationJob job, DatabaseProgress p) {
        JobState s = job.state();
        if (s == JobState.STARTING || s == JobState.RESTARTING || s == JobState.RESUMING) {
            return true;
        }
        boolean notPlanned = p.phase() == null;
        return (s == JobState.RUNNING && job.phase() == JobPhase.FULL_DUMP && notPlanned)
                || (s == JobState.FAILED && job.phase() == null && notPlanned && p.lastSignal() != WorkerSignal.FAILED);
    }

    /** While the job's status wants copies, except for a database that failed (the job is FAILED, the others go on). */
    private static boolean copy(MigrationJob job, DatabaseProgress p) {
        return JobStateMachine.copiesWanted(JobStatus.of(job.state(), job.phase()))
                && !(job.state() == JobState.FAILED && p.lastSignal() == WorkerSignal.FAILED);
    }

    /** Every table of the plan copied; a database not planned yet (0 tables) is still preparing under its snapshot. */
    private static boolean allTablesCopied(DatabaseProgress p) {
        return p.tablesTotal() != null && p.tablesTotal() > 0 && p.tablesCopied() != null && p.tablesCopied().equals(p.tablesTotal());
    }

    /** From CDC on (verify is allowed there): through the stream while it runs, directly when stopped or completed. */
    private static Verify verify(MigrationJob job) {
        if (job.state() == JobState.COMPLETED || (job.phase() == JobPhase.CDC && job.state() == JobState.STOPPED)) {
            return Verify.DIRECT;
        }
        return job.phase() == JobPhase.CDC && job.state() == JobState.RUNNING ? Verify.LIVE : Verify.NONE;
    }
}
