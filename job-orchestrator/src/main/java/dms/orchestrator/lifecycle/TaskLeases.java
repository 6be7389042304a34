package dms.orchestrator.lifecycle;

import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.dump.CopyUnitEntity.State;
import dms.orchestrator.metrics.TaskMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Nothing waits forever: every dump task is sent under a lease ({@code Settings.taskLease}). A copy
 * unit is leased while COPYING; a database's PREPARE_DATABASE, NEW_SNAPSHOT, POST_DATA or CLEANUP
 * while no answer came ({@link Pending}). The worker running a task extends its lease with
 * heartbeats that name the task and its attempt; a lease that expires (the worker died, or its report
 * was lost) sends the task again as the next attempt, if the job still wants it, else lets it go (a
 * stopping dump then settles). Reports name the attempt they answer: one of an attempt sent again
 * after is ignored. Re-runs are harmless: a copy already committed is found and reported
 * ({@code dms_internal.copied_unit}), a prepare makes its slot and snapshot anew, a new snapshot
 * fences off the old one, post-data skips what it applied (docs/data-path.md, Leases).
 */
final class TaskLeases {

    private TaskLeases() {}

    /** The database task in flight: its kind, when its lease ends, and the purge flag it is sent again with. */
    public record Pending(DumpTask.Kind kind, Instant until, Boolean purge) {}

    static Instant until(Change c) {
        return c.now.plus(c.settings.taskLease());
    }

    /** A new task for the database (it replaces the one in flight): its attempt number, under a fresh lease. */
    static int grant(Change c, DatabaseSnapshot db, DumpTask.Kind kind, Boolean purge) {
        db.taskAttempt++;
        db.task = new Pending(kind, until(c), purge);
        return db.taskAttempt;
    }

    /** Whether a unit's report names an attempt other than the unit's latest ({@code attempt} null: a report naming none). */
    static boolean supersededAttempt(UnitSnapshot unit, Integer attempt) {
        return attempt != null && attempt != unit.attempts;
    }

    /** Whether a report answers a database task other than the latest one sent for the database. */
    static boolean superseded(DatabaseSnapshot db, WorkerEvent e) {
        return e.task() != null && e.task().unitNo() == null && e.task().attempt() != db.taskAttempt;
    }

    /**
     * A heartbeat: the lease of the task it names is extended, if that attempt is still the one in flight; for a copy
     * task with a bundle, every unit of the bundle still in flight.
     */
    static void heartbeat(Change c, DatabaseSnapshot db, WorkerEvent.Heartbeat e) {
        WorkerEvent.TaskRef task = e.task();
        if (task.unitNo() != null) {
            List<UnitSnapshot> units = c.job.units(db.name);
            boolean current = units.stream().anyMatch(u -> u.unitNo == task.unitNo() && u.state == State.COPYING
                    && u.runEpoch == c.job.runEpoch && u.attempts == task.attempt()
                    && (e.snapshotName() == null || e.snapshotName().equals(u.snapshotName)));
            if (current) {
                units.stream().filter(u -> u.state == State.COPYING && u.taskUnitNo() == task.unitNo()).forEach(u -> u.leaseUntil = until(c));
                c.changed();
            }
        } else if (db.task != null && db.task.kind() == task.kind() && task.attempt() == db.taskAttempt) {
            db.task = new Pending(db.task.kind(), until(c), db.task.purge());
            c.changed();
        }
    }

    /**
     * A signal answering the database's task in flight ends its lease: the one its attempt names, or
     * for a report naming none the signal that task ends with (or FAILED).
     */
    static void answered(DatabaseSnapshot db, WorkerEvent e) {
        if (db.task == null || e.signal() == null) {
            return;
        }
        boolean answers = e.task() != null ? e.task().unitNo() == null : e.signal() == WorkerSignal.FAILED || switch (db.task.kind()) {
            case PREPARE_DATABASE -> e.signal() == WorkerSignal.DUMP_STARTED;
            case NEW_SNAPSHOT -> e.signal() == WorkerSignal.RESUMED;
            case POST_DATA -> e.signal() == WorkerSignal.DUMP_COMPLETED;
            case CLEANUP -> e.signal() == WorkerSignal.CLEANED_UP;
            default -> false;
        };
        if (answers) {
            db.task = null;
        }
    }

    /** The lease timer: every expired lease's task is sent again, or let go when the job no longer wants it. */
    static void expire(Change c) {
        JobSnapshot job = c.job;
        if (job.status.state() == JobState.DELETED) {
            return;
        }
        Duration lease = c.settings.taskLease();
        for (DatabaseSnapshot db : job.databases) {
            Pending p = db.task;
            if (p == null || p.until().isAfter(c.now)) {
                continue;
            }
            db.task = null;
            c.changed();
            String what = p.kind() + " of database " + db.name + " (attempt " + db.taskAttempt + ") had no word from its worker for "
                    + lease.toSeconds() + " s: ";
            if (wanted(job, db, p.kind())) {
                c.add(new Effect.Metric(p.kind() == DumpTask.Kind.NEW_SNAPSHOT ? TaskMetrics.SNAPSHOT : TaskMetrics.DATABASE, true));
                resend(c, db, p);
                c.event(JobEvent.Type.WORKER_REPORT, null, null, db.name, what + "sent again as attempt " + db.taskAttempt);
            } else {
                c.event(JobEvent.Type.WORKER_REPORT, null, null, db.name, what + "not sent again, the job is " + job.status);
            }
        }
        List<UnitSnapshot> expired = job.units.stream()
                .filter(u -> u.state == State.COPYING && u.leaseUntil != null && !u.leaseUntil.isAfter(c.now)).toList();
        for (UnitSnapshot u : expired) {
            // Queued again, due at once: the dispatch below (or a later one) sends it as its next attempt.
            u.state = State.QUEUED;
            u.leaseUntil = null;
            u.bundleOf = null;
            u.notBefore = null;
            u.updateTime = c.now;
            c.add(new Effect.Metric(TaskMetrics.COPY, true));
        }
        if (expired.isEmpty()) {
            return;
        }
        if (DumpSteps.stopSettled(job)) {
            Moves.move(c, JobStateMachine.onSignal(job.status, WorkerSignal.STOPPED).orElseThrow(),
                    "every copy has stopped or was let go when its lease expired");
        }
        CopyUnits.dispatch(c);
        for (UnitSnapshot u : expired) {
            c.event(JobEvent.Type.WORKER_REPORT, null, null, u.database, "copy of " + u.table() + " (unit " + u.unitNo
                    + ") had no word from its worker for " + lease.toSeconds() + " s: " + (u.state == State.COPYING
                    ? "sent again as attempt " + u.attempts : "queued again"));
        }
        c.publish();
    }

    /** Whether the job, as it is now, still wants this task of the database (as the dump-worker judges it too). */
    private static boolean wanted(JobSnapshot job, DatabaseSnapshot db, DumpTask.Kind kind) {
        if (kind == DumpTask.Kind.CLEANUP) {
            return job.status.state() == JobState.DELETING;
        }
        if (FailedDatabases.failed(job, db)) {
            return false; // it waits for its restart
        }
        return switch (kind) {
            case PREPARE_DATABASE -> switch (job.status.state()) {
                case STARTING, RESTARTING, RESUMING -> true;
                case RUNNING, FAILED -> db.phase() == null; // a database added to the job, or prepared while another failed
                default -> false;
            };
            case NEW_SNAPSHOT, POST_DATA -> JobStateMachine.copiesWanted(job.status) && db.phase() == JobPhase.FULL_DUMP;
            default -> false;
        };
    }

    /** The same task again, as the next attempt: the steps that sent it decide its content as the job is now. */
    private static void resend(Change c, DatabaseSnapshot db, Pending p) {
        switch (p.kind()) {
            case POST_DATA -> DumpSteps.postData(c, db);
            case NEW_SNAPSHOT -> DumpSteps.requestSnapshot(c, db);
            default -> c.task(p.kind(), db, p.purge());
        }
    }
}
