package dms.orchestrator.lifecycle;

import dms.common.messages.JobEvent;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.metrics.TaskMetrics;
import java.util.Optional;

/**
 * A worker's report: the database's progress, its dump's next step, and, when the report carries
 * a signal, the job's move once every database has sent it in the current run epoch (any one
 * database for FAILED). Reports of an older run, of databases the job does not migrate, or of a task's attempt
 * that was sent again after ({@link TaskLeases}), change nothing; a heartbeat extends its task's lease.
 */
final class Reports {

    private Reports() {}

    static void apply(Change c, WorkerEvent report) {
        JobSnapshot job = c.job;
        if (job.status.state() == JobState.DELETED || report.runEpoch() != job.runEpoch) {
            return;
        }
        Optional<DatabaseSnapshot> found = job.database(report.database());
        if (found.isEmpty()) {
            if (report.signal() == WorkerSignal.CLEANED_UP) {
                // The clean-up of a database removed from the job: say what it could not clean.
                c.event(JobEvent.Type.WORKER_REPORT, null, null, report.database(), "removed database cleaned up"
                        + (report.error() != null ? ", " + report.error() : ": slot and publication dropped on the source"));
            }
            return;
        }
        if (report instanceof WorkerEvent.DataChecked) {
            return; // the data check's own (verify.DataChecks)
        }
        if (report instanceof WorkerEvent.NewTable added) {
            c.event(JobEvent.Type.TABLE_ADDED, null, null, report.database(), tableAdded(added.tableAdded()));
            return; // no progress of its own: the lag reports go on
        }
        if (report instanceof WorkerEvent.NewTableNotTaken notTaken) {
            WorkerEvent.TableNotTaken t = notTaken.tableNotTaken();
            c.event(JobEvent.Type.TABLE_NOT_TAKEN, null, null, report.database(), "table " + t.table()
                    + " was created on the source during CDC and is not replicated: " + t.reason());
            return;
        }
        DatabaseSnapshot db = found.get();
        if (report instanceof WorkerEvent.Heartbeat beat) {
            TaskLeases.heartbeat(c, db, beat);
            return;
        }
        if (TaskLeases.superseded(db, report)) {
            // Its task was sent again after (its lease expired): only the latest attempt's word counts.
            return;
        }
        if (report.signal() != null && FailedDatabases.keepsFailure(job, db, report.signal())) {
            // The answer to the stop a failed database was sent: it stays failed (and shown so) until a new run.
            return;
        }
        WorkerEvent e = report;
        db.progress = ReportedProgress.apply(c, db, e);
        c.changed();
        TaskLeases.answered(db, e);
        if (e instanceof WorkerEvent.DumpStarted started) {
            DumpSteps.planned(c, db, started);
            if (job.status.state() != JobState.DELETING) {
                Moves.watch(c, db); // its slot exists now
            }
        } else if (e.signal() == WorkerSignal.RESUMED && db.phase() == JobPhase.FULL_DUMP) {
            WorkerEvent.SnapshotTaken taken = e instanceof WorkerEvent.SnapshotTaken s ? s : null;
            DumpSteps.snapshotTaken(c, db, taken == null ? null : taken.snapshotName(), taken == null ? null : taken.syncLsn());
        } else if (e.signal() == WorkerSignal.DUMP_COMPLETED
                && (job.status.state() == JobState.RUNNING || job.status.state() == JobState.FAILED)) {
            // Each database follows the source as soon as its own dump is complete, not when the last one's is,
            // nor when another database has failed.
            Moves.follow(c, db);
        }
        if (e instanceof WorkerEvent.UnitDone done) {
            String failure = DumpSteps.unitReported(c, db, done.unit(), e.task() == null ? null : e.task().attempt());
            for (WorkerEvent.BundledUnitReport bundled : done.bundle()) {
                String failed = DumpSteps.unitReported(c, db, bundled.unit(), bundled.attempt());
                failure = failure == null ? failed : failure;
            }
            if (failure != null) {
                e = WorkerEvent.signal(e.jobId(), e.runEpoch(), e.database(), WorkerSignal.FAILED, e.worker()).withError(failure);
                // The database's own entry shows the failure (and tells the dump-workers to cancel its copies).
                db.progress = ReportedProgress.merge(db.progress, e, c.now);
            }
        }
        if (e.signal() == WorkerSignal.FAILED) {
            c.add(new Effect.Metric(TaskMetrics.DATABASE, false));
        }
        if (e.signal() != null) {
            if (!DatabaseAgreement.settledBefore(job, db, e.signal())) {
                db.lastSignal = e.signal();
                db.signalEpoch = job.runEpoch;
            }
            c.event(JobEvent.Type.WORKER_REPORT, null, null, db.name,
                    e.signal() + (e.error() != null ? ": " + e.error() : "") + (e.worker() != null ? " (worker " + e.worker() + ")" : ""));
            moveJobIfDue(c, e);
        }
        if (DumpSteps.stopSettled(job)) {
            Moves.move(c, JobStateMachine.onSignal(job.status, WorkerSignal.STOPPED).orElseThrow(), "every copy has stopped");
        }
        FailedDatabases.rephase(c);
        CopyUnits.dispatch(c);
        c.publish();
    }

    static String tableAdded(WorkerEvent.TableAdded t) {
        return "table " + t.table() + " found on the source during CDC" + (t.created() ? ", created on the destination" : "")
                + ", copied " + t.rows() + " rows (sync LSN " + t.syncLsn() + ", " + t.millis() + " ms after it was found), replicating";
    }

    /**
     * FAILED from any database moves the job at once (only that database stops: FailedDatabases); any
     * other signal moves it once every database agrees (whichever signal completes the agreement: a small
     * database can finish its whole dump before another one is even prepared).
     */
    private static void moveJobIfDue(Change c, WorkerEvent e) {
        JobSnapshot job = c.job;
        if (e.signal() == WorkerSignal.FAILED && job.status.state() == JobState.FAILED) {
            job.database(e.database()).ifPresent(db -> FailedDatabases.another(c, db));
            return;
        }
        Optional<JobStatus> to = JobStateMachine.needsAllDatabases(e.signal())
                ? DatabaseAgreement.agreedMove(job, job.databases)
                : JobStateMachine.onSignal(job.status, e.signal());
        if (to.isEmpty()) {
            return;
        }
        Moves.move(c, to.get(), "database " + e.database() + (JobStateMachine.needsAllDatabases(e.signal())
                ? " was the last to report " : " reported ") + e.signal());
        if (to.get().equals(DatabaseAgreement.DUMPING)) {
            followFinishedDumps(c);
        }
    }

    /**
     * Databases whose dump completed while the job was still starting (or restarting) follow the
     * source now that it runs; if that was every database, the job moves on to CDC.
     */
    private static void followFinishedDumps(Change c) {
        c.job.databases.stream().filter(db -> db.phase() == JobPhase.CDC).forEach(db -> Moves.follow(c, db));
        DatabaseAgreement.agreedMove(c.job, c.job.databases).ifPresent(next -> Moves.move(c, next, "every database's dump is complete"));
    }
}
