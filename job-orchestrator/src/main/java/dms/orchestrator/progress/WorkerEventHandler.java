package dms.orchestrator.progress;

import dms.common.json.Json;
import dms.common.messages.DatabaseProgress;
import dms.common.messages.ErrorInfo;
import dms.common.messages.JobEvent;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.dump.FullDump;
import dms.orchestrator.fanout.JobTransitions;
import dms.orchestrator.fanout.WorkFanout;
import dms.orchestrator.metrics.TaskMetrics;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.verify.DataChecks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies one worker report: updates the database's progress and, when the report carries a
 * signal, moves the job once every database has sent that signal in the current run epoch
 * (any one database for FAILED). Reports of an older run, or of unknown jobs, are dropped.
 */
@ApplicationScoped
public class WorkerEventHandler {

    private static final Logger LOG = Logger.getLogger(WorkerEventHandler.class);

    @Inject
    JobDocuments documents;
    @Inject
    JobEvents events;
    @Inject
    JobTransitions transitions;
    @Inject
    FullDump fullDump;
    @Inject
    WorkFanout fanout;
    @Inject
    TaskMetrics metrics;
    @Inject
    DataChecks dataChecks;
    @Inject
    RetainedWalWarning walWarning;

    /** Returns whether the report changed anything. */
    public boolean apply(WorkerEvent report) {
        WorkerEvent e = report;
        MigrationJobEntity job = MigrationJobEntity.findById(e.jobId());
        if (job == null || job.state == JobState.DELETED) {
            LOG.debugf("Report %s for unknown job %s dropped", e.eventId(), e.jobId());
            return false;
        }
        if (e.runEpoch() != job.runEpoch) {
            LOG.debugf("Report %s of run %d dropped: job %s is in run %d", e.eventId(), e.runEpoch(), job.id, job.runEpoch);
            return false;
        }
        Optional<JobDatabaseEntity> found = JobDatabaseEntity.find("jobId = ?1 and name = ?2", job.id, e.database()).firstResultOptional();
        if (found.isEmpty()) {
            if (e.signal() == WorkerSignal.CLEANED_UP) {
                // The clean-up of a database removed from the job: say what it could not clean.
                events.record(job, JobEvent.Type.WORKER_REPORT, null, null, null, e.database(), "removed database cleaned up"
                        + (e.error() != null ? ", " + e.error() : ": slot and publication dropped on the source"));
                return true;
            }
            LOG.debugf("Report %s names database %s, which job %s does not migrate (any more)", e.eventId(), e.database(), job.id);
            return false;
        }
        if (e.dataCheck() != null) {
            return dataChecks.reported(job, e);
        }
        JobDatabaseEntity db = found.get();
        db.progressJson = Json.write(progress(job, db, e));
        if (e.signal() == WorkerSignal.DUMP_STARTED) {
            fullDump.planned(job, db, e);
            if (job.state != JobState.DELETING) {
                fanout.watch(job, db); // its slot exists now
            }
        } else if (e.signal() == WorkerSignal.RESUMED && db.phase() == JobPhase.FULL_DUMP) {
            fullDump.snapshotTaken(job, db, e);
        } else if (e.signal() == WorkerSignal.DUMP_COMPLETED && job.state == JobState.RUNNING) {
            // Each database follows the source as soon as its own dump is complete, not when the last one's is.
            fanout.follow(job, db);
        }
        if (e.unit() != null) {
            String failure = fullDump.unitReported(job, db, e.unit());
            if (failure != null) {
                e = WorkerEvent.signal(e.jobId(), e.runEpoch(), e.database(), WorkerSignal.FAILED, e.worker()).withError(failure);
            }
        }
        if (e.signal() == WorkerSignal.FAILED) {
            metrics.failed(job.id, TaskMetrics.DATABASE);
        }
        if (e.signal() != null) {
            if (!DatabaseAgreement.settledBefore(job, db, e.signal())) {
                db.lastSignal = e.signal();
                db.signalEpoch = job.runEpoch;
            }
            events.record(job, JobEvent.Type.WORKER_REPORT, null, null, null, db.name,
                    e.signal() + (e.error() != null ? ": " + e.error() : "") + (e.worker() != null ? " (worker " + e.worker() + ")" : ""));
            moveJobIfDue(job, e);
        }
        if (fullDump.stopSettled(job)) {
            transitions.move(job, JobStateMachine.onSignal(job.status(), WorkerSignal.STOPPED).orElseThrow(), null,
                    "every copy has stopped", false);
        }
        fullDump.dispatch(job);
        documents.publish(job);
        return true;
    }

    /**
     * FAILED from any database moves the job at once; any other signal moves it once every
     * database agrees (whichever signal completes the agreement: a small database can finish its
     * whole dump before another one is even prepared).
     */
    private void moveJobIfDue(MigrationJobEntity job, WorkerEvent e) {
        Optional<JobStatus> to;
        if (JobStateMachine.needsAllDatabases(e.signal())) {
            JobDatabaseEntity.getEntityManager().flush();
            to = DatabaseAgreement.agreedMove(job, JobDatabaseEntity.ofJob(job.id));
        } else {
            to = JobStateMachine.onSignal(job.status(), e.signal());
        }
        if (to.isEmpty()) {
            return;
        }
        if (e.signal() == WorkerSignal.FAILED) {
            job.errorCode = ErrorInfo.MIGRATION_FAILED;
            job.errorMessage = "database " + e.database() + ": " + (e.error() != null ? e.error() : "failed");
        }
        transitions.move(job, to.get(), null, "database " + e.database() + (JobStateMachine.needsAllDatabases(e.signal())
                ? " was the last to report " : " reported ") + e.signal(), false);
        if (to.get().equals(DatabaseAgreement.DUMPING)) {
            followFinishedDumps(job);
        }
    }

    /**
     * Databases whose dump completed while the job was still starting (or restarting) follow the
     * source now that it runs; if that was every database, the job moves on to CDC.
     */
    private void followFinishedDumps(MigrationJobEntity job) {
        var databases = JobDatabaseEntity.ofJob(job.id);
        for (JobDatabaseEntity db : databases) {
            if (db.phase() == JobPhase.CDC) {
                fanout.follow(job, db);
            }
        }
        DatabaseAgreement.agreedMove(job, databases).ifPresent(next ->
                transitions.move(job, next, null, "every database's dump is complete", false));
    }

    /** The database's progress with the report: merged, its stream's retries counted, retained WAL warned of. */
    private DatabaseProgress progress(MigrationJobEntity job, JobDatabaseEntity db, WorkerEvent e) {
        DatabaseProgress before = JobDocuments.progress(db);
        boolean streaming = db.signalledInRun(job.runEpoch) && db.lastSignal == WorkerSignal.RESUMED && before.phase() == JobPhase.CDC;
        DatabaseProgress after = CdcRetries.count(before, merge(before, e), e, streaming);
        RetainedWalWarning.Outcome wal = walWarning.check(after);
        wal.warning().ifPresent(text -> events.record(job, JobEvent.Type.RETAINED_WAL_WARNING, null, null, null, db.name, text));
        return wal.progress();
    }

    /**
     * Fields of the report override the stored progress; absent fields keep their value, but the lag: a
     * signal or a passing trouble means the stream started, stopped or ended, and its lag is unknown
     * until it is measured again (a figure from before would read as fresh while nothing is applied).
     */
    static DatabaseProgress merge(DatabaseProgress p, WorkerEvent e) {
        JobPhase phase = switch (e.signal() == null ? WorkerSignal.RESUMED : e.signal()) {
            case DUMP_STARTED -> JobPhase.FULL_DUMP;
            case DUMP_COMPLETED -> JobPhase.CDC;
            default -> p.phase();
        };
        boolean lagUnknown = e.signal() != null || CdcRetries.isTrouble(e);
        return new DatabaseProgress(p.database(), phase, e.signal() != null ? e.signal() : p.lastSignal(),
                or(e.slotName(), p.slotName()), or(e.consistentLsn(), p.consistentLsn()),
                or(e.tablesTotal(), p.tablesTotal()), or(e.tablesCopied(), p.tablesCopied()),
                or(e.rowsCopied(), p.rowsCopied()), or(e.bytesCopied(), p.bytesCopied()),
                lagUnknown ? e.lagBytes() : or(e.lagBytes(), p.lagBytes()),
                lagUnknown ? e.lagSeconds() : or(e.lagSeconds(), p.lagSeconds()),
                or(e.retainedWalBytes(), p.retainedWalBytes()),
                // A signal replaces the error (FAILED's, or none); a plain report may carry a passing trouble.
                e.signal() == WorkerSignal.FAILED ? e.error() : e.signal() != null ? null : or(e.error(), p.error()),
                e.time() != null ? e.time() : Instant.now(), p.bytesEstimated(), p.percentCopied(), p.etaSeconds(),
                p.tablesWithoutReplicaIdentity(), p.tables(), or(e.appliedLsn(), p.appliedLsn()),
                or(e.maxSlotWalKeepSizeBytes(), p.maxSlotWalKeepSizeBytes()), p.retainedWalWarning(), p.cdcRetries(),
                p.lastError());
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }
}
