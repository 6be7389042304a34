package dms.orchestrator.verify;

import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.DataVerification;
import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.MigrationJob;
import dms.common.messages.TableCheck;
import dms.common.messages.WorkerEvent;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The orchestrator's side of verify from CDC on: one VERIFY_DATA task per database to the
 * dump-workers, and their per-table reports recorded in the job's {@code verification} and as
 * job events (DIFFERS per table that differs, then VERIFIED or DIFFERS for the whole check).
 * A new check replaces the previous one; reports of an older check are dropped.
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

    /** Starts a data check named after the command; returns the job document that shows it. */
    public MigrationJob start(MigrationJobEntity job, String commandId, String requestedBy) {
        List<String> databases = JobDatabaseEntity.ofJob(job.id).stream().map(db -> db.name).toList();
        DataVerification started = DataVerification.started(commandId, Instant.now(), databases);
        job.verificationJson = Json.write(started);
        for (String db : databases) {
            DumpTask task = DumpTask.verifyData(job.id, job.runEpoch, db, ConnectionProfileEntity.forWorkers(job.sourceProfile),
                    ConnectionProfileEntity.forWorkers(job.destinationProfile), commandId);
            outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
        }
        events.record(job, JobEvent.Type.VERIFY_STARTED, job.status(), job.status(), commandId, null,
                "data check of " + databases.size() + " database(s) requested by " + requestedBy);
        return documents.publish(job);
    }

    /** A dump-worker's report; returns whether it changed the job. */
    public boolean reported(MigrationJobEntity job, WorkerEvent e) {
        WorkerEvent.DataCheckReport report = e.dataCheck();
        DataVerification v = JobDocuments.verification(job);
        if (v == null || !v.id().equals(report.verificationId()) || v.finished()) {
            return false; // an older check, or a report delivered twice after the end
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
            v = v.withDatabaseDone(e.database(), report.note(), Instant.now());
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
        if (v.tablesDiffering() == 0) {
            events.record(job, JobEvent.Type.VERIFIED, null, null, v.id(), null,
                    v.tablesEqual() + " table(s) equal on both sides" + skipped);
        } else {
            events.record(job, JobEvent.Type.DIFFERS, null, null, v.id(), null, v.tablesDiffering() + " table(s) differ ("
                    + names(v, TableCheck.Result.DIFFERS) + "), " + v.tablesEqual() + " equal" + skipped);
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
