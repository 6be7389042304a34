package dms.dump.copy;

import dms.common.pg.internal.CopiedUnits;
import dms.common.pg.internal.SupersededCopyException;
import dms.common.messages.CopyRange;
import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.messages.WorkerEvent.UnitReport;
import dms.common.messages.WorkerEvent.UnitState;
import dms.dump.catalog.ReplicaIdentity;
import dms.dump.catalog.TableInfo;
import dms.common.pg.PgConnector;
import dms.dump.metrics.CopyMetrics;
import dms.dump.postdata.IndexBuildStreams;
import dms.dump.postdata.TableIndexBuild;
import dms.dump.runtime.Errors;
import dms.dump.runtime.ProgressReporter;
import dms.dump.runtime.RunningCopies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Copies one unit (a table or a range of it), and the small units bundled after it, under the exported snapshot it was
 * given and reports the outcome of each: COPIED with its counts, CANCELLED when the job stopped wanting it or a
 * newer snapshot took over, SNAPSHOT_LOST when the snapshot cannot be imported any more, or
 * FAILED. The rows and a record of the unit ({@code dms_internal.copied_unit}, with its sync
 * LSN) commit in one destination transaction, only while the unit's snapshot is the job's
 * current one: a unit delivered again finds its record and is not copied twice; one without
 * a record has no rows there. Two attempts of a unit copying at once (its lease expired while the
 * first ran) commit one copy: the second one's record clashes with the first's, and it reports COPIED.
 */
@ApplicationScoped
public class CopyTable {

    private static final Logger LOG = Logger.getLogger(CopyTable.class);
    /** PostgreSQL's answer to SET TRANSACTION SNAPSHOT once the exporter let go of it. */
    private static final String INVALID_SNAPSHOT = "22023";
    /** The unit's record ({@code copied_unit}'s key) committed by another attempt while this one copied. */
    private static final String UNIQUE_VIOLATION = "23505";

    @Inject
    PgConnector connector;
    @Inject
    RunningCopies running;
    @Inject
    ProgressReporter reporter;
    @Inject
    CopyMetrics metrics;
    @Inject
    TableIndexBuild indexes;
    /** The streams copies share with index builds: a copy running here leaves one fewer for the builds. */
    @Inject
    IndexBuildStreams indexStreams;
    /** Off: every index waits for post-data (the bench measures what building them early gains). */
    @ConfigProperty(name = "dms.dump.indexes-after-copy", defaultValue = "true")
    boolean indexesAfterCopy;
    /**
     * A smaller table's indexes wait for post-data: building them after the copy costs a few hundred ms of set-up per
     * table (catalog query, archive listing, script, connections), where post-data's {@code pg_restore -j} builds many
     * small indexes at once for almost nothing.
     */
    @ConfigProperty(name = "dms.dump.index-build.min-table-bytes", defaultValue = "67108864")
    long indexMinTableBytes;
    @Inject
    @Named("workerName")
    String worker;

    /**
     * Copies the task's unit, then each unit bundled after it, over the same two connections, and reports them all at
     * once. Once a unit is not COPIED (cancelled, snapshot lost, failed), the units after it are CANCELLED: queued again
     * as they were, to go in a later task.
     */
    public void run(DumpTask.CopyTable task) {
        List<DumpTask.CopyTable> units = task.oneByOne();
        List<UnitReport> reports = new ArrayList<>(units.size());
        if (running.cancelled(task)) {
            units.forEach(u -> reports.add(report(u, UnitState.CANCELLED, 0, 0, 0, null, true)));
            send(task, reports);
            return;
        }
        try (Connection source = connector.open(task.source(), task.database());
             Connection destination = connector.open(task.destination(), task.database())) {
            for (DumpTask.CopyTable unit : units) {
                boolean goOn = reports.isEmpty() || reports.get(reports.size() - 1).state() == UnitState.COPIED;
                reports.add(goOn ? copy(unit, source, destination) : report(unit, UnitState.CANCELLED, 0, 0, 0, null, true));
            }
        } catch (SQLException e) {
            // The connections could not be opened (or closed): what was not copied goes back to the queue.
            LOG.warnf("Copy of %s/%s %s failed: %s", task.jobId(), task.database(), task.unit().qualifiedName(), Errors.describe(e));
            for (DumpTask.CopyTable unit : units.subList(reports.size(), units.size())) {
                reports.add(reports.isEmpty() ? report(unit, UnitState.FAILED, 0, 0, 0, Errors.describe(e), Errors.retryable(e))
                        : report(unit, UnitState.CANCELLED, 0, 0, 0, null, true));
            }
        }
        send(task, reports);
    }

    /** One unit over the task's connections: its report. */
    private UnitReport copy(DumpTask.CopyTable task, Connection source, Connection destination) {
        CopyUnit unit = task.unit();
        TableInfo table = tableOf(unit);
        metrics.copyStarting(task);
        try {
            long[] done = CopiedUnits.find(destination, task.jobId(), task.snapshotName(), unit.unitNo());
            if (done != null) {
                // Delivered again after its copy committed (the worker died before reporting): report, do not copy twice.
                return report(task, UnitState.COPIED, done[0], done[1], 0, null, true);
            }
            TableCopier copier = new TableCopier(source, destination).beforeCommit((dst, rows, bytes) ->
                    CopiedUnits.record(dst, task.jobId(), task.snapshotName(), task.syncLsn(), unit, rows, bytes));
            CopyResult result;
            try (AutoCloseable registration = running.register(task, copier::cancel);
                 AutoCloseable stream = indexStreams.copying()) {
                // No record of this unit: none of its rows are on the destination, so a range needs no
                // DELETE first (without indexes before post-data, each would scan the whole table).
                result = copier.copy(table, unit.range(), task.snapshotName(), false);
            }
            LOG.infof("Copied %s/%s %s (%s): %d rows, %.1f MB in %d ms (%s, %.1f MB/s)", task.jobId(), task.database(),
                    unit.qualifiedName(), unit.range(), result.rows(), result.bytes() / 1e6, result.millis(), result.format(),
                    result.megabytesPerSecond());
            if (indexesAfterCopy && (unit.range() == null || unit.range().isWhole())
                    && Math.max(unit.estimatedBytes(), result.bytes()) >= indexMinTableBytes) {
                // Its table is complete: its indexes now, beside the next copies (started before the report, so
                // post-data waits for them).
                indexes.afterCopy(task);
            }
            // The slot's retained WAL is not measured here: the cdc-worker watches the slot from the dump on.
            return report(task, UnitState.COPIED, result.rows(), result.bytes(), result.millis(), null, true);
        } catch (CopyCancelledException | SupersededCopyException e) {
            LOG.infof("Copy of %s/%s %s cancelled: %s", task.jobId(), task.database(), unit.qualifiedName(), e.getMessage());
            return report(task, UnitState.CANCELLED, 0, 0, 0, null, true);
        } catch (SQLException e) {
            long[] meanwhile = UNIQUE_VIOLATION.equals(e.getSQLState()) ? copiedMeanwhile(task) : null;
            if (meanwhile != null) {
                // Another attempt of this unit (sent again when its lease expired) committed first: its rows are there, once.
                LOG.infof("Copy of %s/%s %s: another attempt committed it first", task.jobId(), task.database(), unit.qualifiedName());
                return report(task, UnitState.COPIED, meanwhile[0], meanwhile[1], 0, null, true);
            }
            if (INVALID_SNAPSHOT.equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("snapshot")) {
                // The worker that held it is gone: the orchestrator has a new snapshot taken for what is left.
                LOG.warnf("Copy of %s/%s %s: the exported snapshot %s is gone", task.jobId(), task.database(),
                        unit.qualifiedName(), task.snapshotName());
                return report(task, UnitState.SNAPSHOT_LOST, 0, 0, 0, "the exported snapshot " + task.snapshotName()
                        + " is gone (the worker that held it stopped)", true);
            }
            LOG.warnf("Copy of %s/%s %s failed: %s", task.jobId(), task.database(), unit.qualifiedName(), Errors.describe(e));
            return report(task, UnitState.FAILED, 0, 0, 0, Errors.describe(e), Errors.retryable(e));
        } catch (Exception e) {
            LOG.errorf(e, "Copy of %s/%s %s failed", task.jobId(), task.database(), unit.qualifiedName());
            return report(task, UnitState.FAILED, 0, 0, 0, Errors.describe(e), true);
        }
    }

    /** The unit's record if an attempt of it committed, else null (or when the destination cannot tell). */
    private long[] copiedMeanwhile(DumpTask.CopyTable task) {
        try (Connection destination = connector.open(task.destination(), task.database())) {
            return CopiedUnits.find(destination, task.jobId(), task.snapshotName(), task.unit().unitNo());
        } catch (SQLException e) {
            return null;
        }
    }

    /** What the copier needs to know of the table, as the preparing worker planned it. */
    private static TableInfo tableOf(CopyUnit unit) {
        CopyRange range = unit.range() == null ? CopyRange.WHOLE : unit.range();
        List<String> key = range.kind() == CopyRange.Kind.PRIMARY_KEY ? List.of(range.column()) : List.of();
        return new TableInfo(unit.schema(), unit.table(), unit.columns(), key, ReplicaIdentity.DEFAULT, !key.isEmpty(),
                unit.estimatedRows(), unit.estimatedBytes(), unit.estimatedBuildBytes(), false);
    }

    private static UnitReport report(DumpTask.CopyTable task, UnitState state, long rows, long bytes, long millis, String error,
                                     boolean retryable) {
        CopyUnit unit = task.unit();
        return new UnitReport(unit.unitNo(), unit.qualifiedName(), state, rows, bytes, millis, error, retryable, task.snapshotName());
    }

    /** One report for the task: its own unit's outcome, and each bundled unit's with the attempt it was sent as. */
    private void send(DumpTask.CopyTable task, List<UnitReport> reports) {
        List<WorkerEvent.BundledUnitReport> bundled = new ArrayList<>();
        for (int i = 1; i < reports.size(); i++) {
            bundled.add(new WorkerEvent.BundledUnitReport(reports.get(i), task.bundle().get(i - 1).attempt()));
        }
        reporter.report(new WorkerEvent.UnitDone(WorkerEvent.Header.of(task.jobId(), task.runEpoch(), task.database(), worker),
                reports.get(0), bundled));
    }
}
