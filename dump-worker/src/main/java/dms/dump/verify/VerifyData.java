package dms.dump.verify;

import dms.common.messages.DumpControl;
import dms.common.messages.DumpTask;
import dms.common.messages.TableCheck;
import dms.common.messages.WorkerEvent;
import dms.common.messages.WorkerEvent.DataCheckReport;
import dms.common.pg.LargeObjects;
import dms.common.pg.PgConnector;
import dms.dump.catalog.TableCatalog;
import dms.dump.catalog.TableInfo;
import dms.dump.runtime.DumpControlView;
import dms.dump.runtime.ProgressReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import dms.common.pg.ReplicationGroups;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A VERIFY_DATA task: compares every table of one job database on both sides
 * ({@link TableComparison}) and reports each table, then the end, on dms.progress. While the job
 * runs CDC the destination is compared once it has applied each source snapshot; otherwise
 * (stopped, completed) directly, and the end report says so. Changes nothing on either side
 * except a marker in the source's WAL per chunk.
 */
@ApplicationScoped
public class VerifyData {

    private static final Logger LOG = Logger.getLogger(VerifyData.class);

    @Inject
    PgConnector connector;
    @Inject
    ProgressReporter reporter;
    @Inject
    DumpControlView control;
    @Inject
    @Named("workerName")
    String worker;
    @ConfigProperty(name = "dms.verify.chunk-rows", defaultValue = "20000")
    int chunkRows;
    @ConfigProperty(name = "dms.verify.catch-up-timeout", defaultValue = "120s")
    Duration catchUpTimeout;
    @ConfigProperty(name = "dms.verify.statement-timeout", defaultValue = "300s")
    Duration statementTimeout;

    public void run(DumpTask.VerifyData task) throws InterruptedException {
        String db = task.database();
        boolean live = !Boolean.FALSE.equals(task.live());
        String note = live ? "compared while CDC runs: each chunk once the destination had applied the source's snapshot"
                : "compared directly: CDC is not running (job " + control.job(task.jobId()).map(DumpControl::status).orElse("stopped")
                + "), so source changes since it stopped are not on the destination";
        long t0 = System.nanoTime();
        int tables = 0;
        boolean complete = true;
        try (Connection source = connector.open(task.source(), db); Connection markers = connector.open(task.source(), db);
             Connection destination = connector.open(task.destination(), db)) {
            limitStatements(source);
            limitStatements(markers);
            limitStatements(destination);
            int groups = ReplicationGroups.find(source, task.slotName(), task.publicationName()).size();
            TableComparison comparison = new TableComparison(source, markers, destination, new TableComparison.Settings(task.jobId(),
                    db, task.slotName(), task.slotName() + ":verify:" + task.verificationId(), live, chunkRows, catchUpTimeout, groups));
            List<TableInfo> all = TableCatalog.list(source).stream()
                    .sorted(Comparator.comparing(TableInfo::schema).thenComparing(TableInfo::name)).toList();
            String stalled = null;
            for (TableInfo table : all) {
                if (cancelled(task)) {
                    note = "stopped after " + tables + " table(s): the job changed ("
                            + control.job(task.jobId()).map(DumpControl::status).orElse("deleted") + ")";
                    complete = false;
                    break;
                }
                TableCheck check;
                if (stalled != null) {
                    check = skipped(db, table, stalled);
                } else {
                    try {
                        check = comparison.compare(table);
                    } catch (TableComparison.NotCaughtUp e) {
                        stalled = e.getMessage();
                        check = skipped(db, table, stalled);
                    } catch (SQLException e) {
                        check = skipped(db, table, "could not be compared: " + e.getMessage()
                                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
                    }
                }
                tables++;
                if (check.result() != TableCheck.Result.EQUAL) {
                    LOG.infof("Data check %s: %s %s (source %s rows, destination %s rows): %s", task.verificationId(),
                            check.qualifiedName(), check.result(), check.sourceRows(), check.destinationRows(), check.detail());
                }
                report(task, new DataCheckReport(task.verificationId(), check, false, null));
            }
            if (complete) {
                largeObjects(task, source, destination).ifPresent(check -> report(task, new DataCheckReport(task.verificationId(),
                        check, false, null)));
            }
        } catch (SQLException e) {
            LOG.errorf(e, "Data check of %s/%s failed", task.jobId(), db);
            note = "the check stopped after " + tables + " table(s): " + e.getMessage();
            complete = false;
        }
        LOG.infof("Data check %s of %s/%s: %d tables in %d ms", task.verificationId(), task.jobId(), db, tables,
                (System.nanoTime() - t0) / 1_000_000);
        report(task, complete ? new DataCheckReport(task.verificationId(), null, true, note)
                : DataCheckReport.stoppedEarly(task.verificationId(), note));
    }

    /**
     * The database's large objects on both sides, as one check named pg_catalog.pg_largeobject (none when
     * neither side has any): their count and a digest of oids, contents and comments. They are copied with the dump and again at promote, not by CDC: while CDC runs,
     * one changed since the dump differs until the promote.
     */
    private static Optional<TableCheck> largeObjects(DumpTask.VerifyData task, Connection source, Connection destination) {
        try {
            LargeObjects.Summary src = LargeObjects.summary(source);
            LargeObjects.Summary dst = LargeObjects.summary(destination);
            if (src.count() == 0 && dst.count() == 0) {
                return Optional.empty();
            }
            boolean equal = src.equals(dst);
            return Optional.of(new TableCheck(task.database(), "pg_catalog", "pg_largeobject",
                    equal ? TableCheck.Result.EQUAL : TableCheck.Result.DIFFERS, (long) src.count(), (long) dst.count(), null,
                    equal ? null : "large objects differ (they are copied with the dump and again at promote, not by CDC)"));
        } catch (SQLException e) {
            return Optional.of(new TableCheck(task.database(), "pg_catalog", "pg_largeobject", TableCheck.Result.SKIPPED, null, null,
                    null, "large objects could not be compared: " + e.getMessage()));
        }
    }

    /** Whether a record of the job newer than the task stops the check (the job left CDC, a newer run). */
    private boolean cancelled(DumpTask.VerifyData task) {
        return control.stops(task, DumpControl.wants(task.kind()));
    }

    private void limitStatements(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SET statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
        }
    }

    private static TableCheck skipped(String db, TableInfo table, String reason) {
        return new TableCheck(db, table.schema(), table.name(), TableCheck.Result.SKIPPED, null, null, null, reason);
    }

    private void report(DumpTask.VerifyData task, DataCheckReport report) {
        reporter.report(new WorkerEvent.DataChecked(WorkerEvent.Header.of(task.jobId(), task.runEpoch(), task.database(), worker), report));
    }
}
