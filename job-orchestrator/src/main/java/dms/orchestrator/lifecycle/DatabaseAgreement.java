package dms.orchestrator.lifecycle;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import java.util.List;
import java.util.Optional;

/**
 * When a job moves on a worker signal: once every one of its databases, by its last signal in
 * the current run, leads to the same status. Databases may get there by different signals (on
 * resume, one re-prepared reports DUMP_STARTED and one given a new snapshot RESUMED), and a
 * database whose dump is complete counts as done with the dump whatever it reported since, and
 * as started while the job is still starting (a small database can be dumped whole before
 * another one is prepared).
 */
final class DatabaseAgreement {

    static final JobStatus DUMPING = JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP);
    private static final JobStatus FOLLOWING = JobStatus.of(JobState.RUNNING, JobPhase.CDC);

    private DatabaseAgreement() {}

    /**
     * The status all databases lead the job to, or empty while they do not agree (or there are none). A
     * stop of a job with failed databases settles when the healthy ones have stopped (the failed ones were already).
     */
    static Optional<JobStatus> agreedMove(JobSnapshot job, List<DatabaseSnapshot> databases) {
        Optional<JobStatus> agreed = Optional.empty();
        for (DatabaseSnapshot db : databases) {
            if (job.status.state() == JobState.STOPPING && FailedDatabases.failed(job, db)) {
                continue;
            }
            Optional<JobStatus> to = leadsTo(job, db);
            if (to.isEmpty() || (agreed.isPresent() && !agreed.equals(to))) {
                return Optional.empty();
            }
            agreed = to;
        }
        return agreed;
    }

    /**
     * Whether the database's last signal already settles the job's current status and {@code next}
     * would not: then {@code next} is late news (a stream failing on the slot a delete just dropped,
     * after that database reported CLEANED_UP) and must not undo the agreement.
     */
    static boolean settledBefore(JobSnapshot job, DatabaseSnapshot db, WorkerSignal next) {
        return db.signalledInRun(job.runEpoch) && db.lastSignal != WorkerSignal.FAILED
                && JobStateMachine.onSignal(job.status, db.lastSignal).isPresent()
                && JobStateMachine.onSignal(job.status, next).isEmpty();
    }

    static Optional<JobStatus> leadsTo(JobSnapshot job, DatabaseSnapshot db) {
        if (job.status.equals(DUMPING) && db.phase() == JobPhase.CDC) {
            return Optional.of(FOLLOWING);
        }
        if (!db.signalledInRun(job.runEpoch) || db.lastSignal == WorkerSignal.FAILED) {
            return Optional.empty();
        }
        if (db.lastSignal == WorkerSignal.DUMP_COMPLETED
                && JobStateMachine.onSignal(job.status, WorkerSignal.DUMP_STARTED).equals(Optional.of(DUMPING))) {
            return Optional.of(DUMPING);
        }
        return JobStateMachine.onSignal(job.status, db.lastSignal);
    }
}
