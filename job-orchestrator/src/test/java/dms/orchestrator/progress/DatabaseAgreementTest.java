package dms.orchestrator.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.common.json.Json;
import dms.common.messages.DatabaseProgress;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseAgreementTest {

    private static final JobStatus RUNNING_DUMP = JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP);
    private static final JobStatus RUNNING_CDC = JobStatus.of(JobState.RUNNING, JobPhase.CDC);

    @Test
    void aResumeMovesOnceEveryDatabaseIsBackWhicheverWayItCame() {
        MigrationJobEntity job = job(JobStatus.of(JobState.RESUMING, JobPhase.FULL_DUMP), 3);
        JobDatabaseEntity reprepared = db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 3);
        JobDatabaseEntity newSnapshot = db("b", JobPhase.FULL_DUMP, WorkerSignal.RESUMED, 3);
        JobDatabaseEntity notYet = db("c", JobPhase.FULL_DUMP, WorkerSignal.STOPPED, 2);

        assertEquals(Optional.of(RUNNING_DUMP), DatabaseAgreement.agreedMove(job, List.of(reprepared, newSnapshot)));
        assertEquals(Optional.empty(), DatabaseAgreement.agreedMove(job, List.of(reprepared, newSnapshot, notYet)),
                "a signal of the previous run does not count");
    }

    @Test
    void theDumpEndsWhenEveryDatabaseIsPastItsOwn() {
        MigrationJobEntity job = job(RUNNING_DUMP, 1);
        // Streaming since its dump ended: its last signal is the stream's RESUMED, it still counts as done.
        JobDatabaseEntity streaming = db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1);
        JobDatabaseEntity justDone = db("b", JobPhase.CDC, WorkerSignal.DUMP_COMPLETED, 1);
        JobDatabaseEntity added = db("c", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1);

        assertEquals(Optional.of(RUNNING_CDC), DatabaseAgreement.agreedMove(job, List.of(streaming, justDone)));
        assertEquals(Optional.empty(), DatabaseAgreement.agreedMove(job, List.of(streaming, justDone, added)));
    }

    @Test
    void aDatabaseDumpedWholeBeforeAnotherIsPreparedCountsAsStarted() {
        for (JobStatus starting : List.of(JobStatus.of(JobState.STARTING, null), JobStatus.of(JobState.RESTARTING, null),
                JobStatus.of(JobState.RESUMING, JobPhase.FULL_DUMP))) {
            MigrationJobEntity job = job(starting, 1);
            JobDatabaseEntity done = db("a", JobPhase.CDC, WorkerSignal.DUMP_COMPLETED, 1);
            JobDatabaseEntity prepared = db("b", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1);
            assertEquals(Optional.of(RUNNING_DUMP), DatabaseAgreement.agreedMove(job, List.of(done, prepared)), starting.toString());
            assertEquals(Optional.empty(), DatabaseAgreement.agreedMove(job, List.of(done, db("c", null, null, 0))),
                    "one not prepared yet: " + starting);
        }
    }

    @Test
    void aDatabaseCleanedUpStaysCleanedUpWhateverItsStreamSaysLate() {
        MigrationJobEntity job = job(JobStatus.of(JobState.DELETING, JobPhase.CDC), 1);
        JobDatabaseEntity cleaned = db("a", JobPhase.CDC, WorkerSignal.CLEANED_UP, 1);
        assertEquals(true, DatabaseAgreement.settledBefore(job, cleaned, WorkerSignal.FAILED), "its slot was dropped under the stream");
        assertEquals(true, DatabaseAgreement.settledBefore(job, cleaned, WorkerSignal.STOPPED));
        assertEquals(false, DatabaseAgreement.settledBefore(job, db("b", JobPhase.CDC, WorkerSignal.RESUMED, 1), WorkerSignal.CLEANED_UP));
        MigrationJobEntity stopping = job(JobStatus.of(JobState.STOPPING, JobPhase.CDC), 1);
        assertEquals(false, DatabaseAgreement.settledBefore(stopping, db("c", JobPhase.CDC, WorkerSignal.STOPPED, 1), WorkerSignal.FAILED),
                "a failure still fails a stopping job");
    }

    @Test
    void aFailureOrNoDatabaseIsNoAgreement() {
        MigrationJobEntity job = job(JobStatus.of(JobState.STOPPING, JobPhase.CDC), 1);
        assertEquals(Optional.empty(), DatabaseAgreement.agreedMove(job, List.of()));
        assertEquals(Optional.empty(), DatabaseAgreement.agreedMove(job, List.of(
                db("a", JobPhase.CDC, WorkerSignal.STOPPED, 1), db("b", JobPhase.CDC, WorkerSignal.FAILED, 1))));
        assertEquals(Optional.of(JobStatus.of(JobState.STOPPED, JobPhase.CDC)), DatabaseAgreement.agreedMove(job, List.of(
                db("a", JobPhase.CDC, WorkerSignal.STOPPED, 1), db("b", JobPhase.CDC, WorkerSignal.STOPPED, 1))));
    }

    private static MigrationJobEntity job(JobStatus status, long runEpoch) {
        MigrationJobEntity job = new MigrationJobEntity();
        job.id = "j";
        job.setStatus(status);
        job.runEpoch = runEpoch;
        return job;
    }

    private static JobDatabaseEntity db(String name, JobPhase phase, WorkerSignal last, long epoch) {
        JobDatabaseEntity db = new JobDatabaseEntity();
        db.jobId = "j";
        db.name = name;
        db.progressJson = Json.write(new DatabaseProgress(name, phase, last, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null));
        db.lastSignal = last;
        db.signalEpoch = epoch;
        return db;
    }
}
