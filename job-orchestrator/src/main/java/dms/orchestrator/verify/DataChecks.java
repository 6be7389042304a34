package dms.orchestrator.verify;

import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.DataVerification;
import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.MigrationJob;
import dms.common.messages.TableCheck;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The orchestrator's side of verify from CDC on: one VERIFY_DATA task per database to the
 * dump-workers, and their per-table reports recorded in the job's {@code verification} and as
 * job events (DIFFERS per table that differs, then VERIFIED, DIFFERS or VERIFY_INCOMPLETE for the
 * whole check). A new check replaces the previous one; reports of an older check are dropped.
 * <p>
 * Each database's task is leased like the dump's ({@code dms.dump.task-lease}): its reports and the
 * worker's heartbeats extend the lease; one that expires sends the task again as its next attempt
 * (a rerun reports the same tables, counted once), up to {@code dms.verify.max-attempts}, after which
 * (or once the job has left the statuses a check runs in) the database is recorded as not checked.
 * So a check always finishes, even when its worker died or no worker runs.
 */
@ApplicationScoped
public class DataChecks {

    /** Tables named in a summary event at most; the job's verification lists them all. */
    private static final int NAMED_IN_SUMMARY = 20;
    /** Equal tables between two publications of the job document (each carries the whole verification). */
    private static final int EQUAL_TABLES_PER_PUBLISH = 50;

    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    JobEvents events;
    @Inject
    JobDocuments documents;
    @ConfigProperty(name = "dms.dump.task-lease", defaultValue = "PT5M")
    Duration lease;
    @ConfigProperty(name = "dms.verify.max-attempts", defaultValue = "3")
    int maxAttempts;

    /** Starts a data check named after the command; returns the job document that shows it. */
    public MigrationJob start(MigrationJobEntity job, String commandId, String requestedBy) {
        List<JobDatabaseEntity> databases = JobDatabaseEntity.ofJob(job.id);
        DataVerification started = DataVerification.started(commandId, Instant.now(), databases.stream().map(db -> db.name).toList());
        job.verificationJson = Json.write(started);
        for (JobDatabaseEntity db : databases) {
            db.verifyAttempt = 0;
            send(job, db, commandId);
        }
        events.record(job, JobEvent.Type.VERIFY_STARTED, job.status(), job.status(), commandId, null,
                "data check of " + databases.size() + " database(s) requested by " + requestedBy);
        return documents.publish(job);
    }

    /** The database's task as its next attempt, under a fresh lease. */
    private void send(MigrationJobEntity job, JobDatabaseEntity db, String verificationId) {
        db.verifyAttempt++;
        db.verifyLeaseUntil = Instant.now().plus(lease);
        // Live: CDC runs, so each chunk is compared once the stream applied the source's snapshot of it.
        boolean live = job.state == JobState.RUNNING && job.phase == JobPhase.CDC;
        DumpTask task = new DumpTask.VerifyData(DumpTask.Target.of(job.id, job.runEpoch, job.docVersion, db.name,
                ConnectionProfileEntity.forWorkers(job.sourceProfile), ConnectionProfileEntity.forWorkers(job.destinationProfile),
                db.verifyAttempt), verificationId, live);
        outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
    }

    /** A heartbeat of a VERIFY_DATA task: the lease of the attempt it names is extended; returns whether it was. */
    public boolean heartbeat(MigrationJobEntity job, WorkerEvent e) {
        DataVerification v = JobDocuments.verification(job);
        JobDatabaseEntity db = JobDatabaseEntity.of(job.id, e.database());
        if (v == null || v.finished() || db == null || db.verifyLeaseUntil == null || e.task().attempt() != db.verifyAttempt) {
            return false;
        }
        db.verifyLeaseUntil = Instant.now().plus(lease);
        return true;
    }

    /**
     * The lease timer: each database whose task had no word within its lease is sent again, or recorded
     * as not checked; returns whether the job changed.
     */
    public boolean leasesExpired(MigrationJobEntity job, Instant now) {
        DataVerification v = JobDocuments.verification(job);
        boolean changed = false;
        for (JobDatabaseEntity db : JobDatabaseEntity.ofJob(job.id)) {
            if (db.verifyLeaseUntil == null || db.verifyLeaseUntil.isAfter(now)) {
                continue;
            }
            changed = true;
            db.verifyLeaseUntil = null;
            if (v == null || v.finished() || !v.databasesPending().contains(db.name)) {
                continue;
            }
            String what = "data check of database " + db.name + " (attempt " + db.verifyAttempt + ") had no word from its worker for "
                    + lease.toSeconds() + " s: ";
            String notChecked = !checkRuns(job) ? "not checked: the job is " + job.status()
                    : db.verifyAttempt >= maxAttempts ? "not checked: no dump-worker answered in " + db.verifyAttempt + " attempt(s)"
                    : null;
            if (notChecked == null) {
                send(job, db, v.id());
                events.record(job, JobEvent.Type.WORKER_REPORT, null, null, v.id(), db.name, what + "sent again as attempt " + db.verifyAttempt);
            } else {
                events.record(job, JobEvent.Type.WORKER_REPORT, null, null, v.id(), db.name, what + notChecked);
                v = v.withDatabaseNotChecked(db.name, notChecked, now);
                if (v.finished()) {
                    finished(job, v);
                }
            }
        }
        if (changed && v != null) {
            job.verificationJson = Json.write(v);
            documents.publish(job);
        }
        return changed;
    }

    /** Whether a data check runs in the job's status (verify from CDC on; before start verify is the pre-flight). */
    private static boolean checkRuns(MigrationJobEntity job) {
        return job.state != JobState.DRAFT && job.state != JobState.NOT_STARTED
                && JobStateMachine.apply(job.status(), JobAction.VERIFY).isPresent();
    }

    /** A dump-worker's report; returns whether it changed the job. */
    public boolean reported(MigrationJobEntity job, WorkerEvent.DataChecked e) {
        WorkerEvent.DataCheckReport report = e.dataCheck();
        DataVerification v = JobDocuments.verification(job);
        if (v == null || !v.id().equals(report.verificationId()) || v.finished()) {
            return false; // an older check, or a report delivered twice after the end
        }
        JobDatabaseEntity db = JobDatabaseEntity.of(job.id, e.database());
        if (db != null && db.verifyLeaseUntil != null) {
            // Word from a worker running the check (any attempt: a rerun reports the same tables).
            db.verifyLeaseUntil = report.databaseDone() ? null : Instant.now().plus(lease);
        }
        TableCheck table = report.table();
        boolean publish = report.databaseDone();
        if (table != null && v.tables().stream().noneMatch(t -> t.qualifiedName().equals(table.qualifiedName()))) {
            v = v.withTable(table);
            publish |= table.result() != TableCheck.Result.EQUAL || v.tablesEqual() % EQUAL_TABLES_PER_PUBLISH == 0;
            if (table.result() == TableCheck.Result.DIFFERS) {
                events.record(job, JobEvent.Type.DIFFERS, null, null, v.id(), e.database(), "table " + table.schema() + "."
                        + table.table() + " differs: " + counts(table) + (table.detail() == null ? "" : "; " + table.detail()));
            }
        }
        if (report.databaseDone() && v.databasesPending().contains(e.database())) {
            v = report.checkedEveryTable() ? v.withDatabaseDone(e.database(), report.note(), Instant.now())
                    : v.withDatabaseNotChecked(e.database(), report.note(), Instant.now());
            if (v.finished()) {
                finished(job, v);
            }
        }
        job.verificationJson = Json.write(v);
        if (publish) {
            documents.publish(job);
        }
        return true;
    }

    private void finished(MigrationJobEntity job, DataVerification v) {
        String skipped = v.tablesSkipped() == 0 ? "" : ", " + v.tablesSkipped() + " skipped ("
                + names(v, TableCheck.Result.SKIPPED) + ")";
        if (v.tablesDiffering() > 0) {
            events.record(job, JobEvent.Type.DIFFERS, null, null, v.id(), null, v.tablesDiffering() + " table(s) differ ("
                    + names(v, TableCheck.Result.DIFFERS) + "), " + v.tablesEqual() + " equal" + skipped);
        } else if (!v.databasesNotChecked().isEmpty()) {
            events.record(job, JobEvent.Type.VERIFY_INCOMPLETE, null, null, v.id(), null, "database(s) not checked to the end: "
                    + String.join(", ", v.databasesNotChecked()) + " (see the verification's notes); " + v.tablesEqual()
                    + " table(s) equal" + skipped);
        } else {
            events.record(job, JobEvent.Type.VERIFIED, null, null, v.id(), null,
                    v.tablesEqual() + " table(s) equal on both sides" + skipped);
        }
    }

    private static String names(DataVerification v, TableCheck.Result result) {
        List<String> names = v.tables().stream().filter(t -> t.result() == result)
                .map(t -> t.database() + "/" + t.schema() + "." + t.table()).toList();
        return names.stream().limit(NAMED_IN_SUMMARY).collect(Collectors.joining(", "))
                + (names.size() > NAMED_IN_SUMMARY ? ", ..." : "");
    }

    private static String counts(TableCheck t) {
        return "source " + t.sourceRows() + " rows, destination " + t.destinationRows() + " rows";
    }
}
