package dms.dump.prepare;

import dms.common.pg.internal.CopiedUnits;
import dms.common.pg.internal.DumpFence;
import dms.common.pg.internal.InternalSchema;
import dms.common.messages.DumpTask;
import dms.common.messages.TableName;
import dms.common.messages.WorkerEvent;
import dms.common.sql.SqlIdentifiers;
import dms.common.statemachine.WorkerSignal;
import dms.common.pg.PgConnector;
import dms.dump.runtime.Errors;
import dms.dump.runtime.ProgressReporter;
import dms.dump.runtime.SnapshotHolders;
import dms.dump.snapshot.SlotSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The resumable path of a dump (docs/data-path.md, rule 2): a new exported snapshot, from a temporary
 * slot whose consistent LSN becomes the sync LSN of every table copied under it, for a database
 * that lost its snapshot (a resume after a stop; the worker holding it died). The tables not
 * fully copied are emptied on the destination and copied again, whole; the tables already
 * copied stay, with their older sync LSN; the job's own slot is untouched. Held here until the
 * copies have imported it, like the first one. Reports RESUMED with the snapshot.
 */
@ApplicationScoped
public class NewSnapshot {

    private static final Logger LOG = Logger.getLogger(NewSnapshot.class);
    /** How long emptying a table waits for the lock a superseded copy still holds before cancelling it. */
    private static final String LOCK_WAIT = "2s";
    private static final int LOCK_ATTEMPTS = 30;

    @Inject
    PgConnector connector;
    @Inject
    SnapshotHolders holders;
    @Inject
    ProgressReporter reporter;
    @Inject
    @Named("workerName")
    String worker;

    public void run(DumpTask.NewSnapshot task) {
        String db = task.database();
        List<TableName> recopy = task.recopyTables() == null ? List.of() : task.recopyTables();
        long t0 = System.nanoTime();
        if (recopy.isEmpty()) {
            LOG.infof("Resumed %s/%s: every table is copied already", task.jobId(), db);
            reporter.report(WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.RESUMED, worker));
            return;
        }
        SlotSnapshot snapshot = null;
        try {
            snapshot = SlotSnapshot.temporary(connector, task.source(), db, temporarySlotName(task.slotName()));
            holders.hold(task, snapshot);
            String syncLsn = snapshot.consistentLsn().toString();
            try (Connection destination = connector.open(task.destination(), db)) {
                InternalSchema.create(destination);
                // First, alone: from its commit on, no copy of an older snapshot can commit rows.
                DumpFence.set(destination, task.jobId(), snapshot.snapshotName(), syncLsn);
                emptyTables(destination, task.jobId(), recopy);
            }
            reporter.report(new WorkerEvent.SnapshotTaken(WorkerEvent.Header.of(task.jobId(), task.runEpoch(), db, worker),
                    snapshot.snapshotName(), syncLsn));
            LOG.infof("New snapshot for %s/%s in %d ms: %s at %s, %d tables to copy again", task.jobId(), db,
                    (System.nanoTime() - t0) / 1_000_000, snapshot.snapshotName(), syncLsn, recopy.size());
        } catch (Exception e) {
            if (snapshot != null) {
                holders.release(task.jobId(), task.runEpoch(), db);
            }
            LOG.errorf(e, "A new snapshot for %s/%s failed", task.jobId(), db);
            reporter.report(WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.FAILED, worker)
                    .withError("resuming the dump failed: " + Errors.describe(e)));
        }
    }

    /**
     * Empties the tables and forgets their copies in one transaction. A copy of the superseded
     * snapshot may still be writing into one (it cannot commit any more): it is cancelled rather
     * than waited for, which could take as long as its table.
     */
    private static void emptyTables(Connection destination, String jobId, List<TableName> tables) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            destination.setAutoCommit(false);
            try (Statement st = destination.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
                for (TableName t : tables) {
                    // No foreign keys yet (they come with post-data, after every copy): TRUNCATE is allowed.
                    st.execute("TRUNCATE ONLY " + SqlIdentifiers.qualified(t.schema(), t.table()));
                }
                CopiedUnits.forget(destination, jobId, tables);
                destination.commit();
                return;
            } catch (SQLException e) {
                destination.rollback();
                // 55P03: lock_not_available
                if (!"55P03".equals(e.getSQLState()) || attempt >= LOCK_ATTEMPTS) {
                    throw e;
                }
                cancelWriters(destination, tables);
            } finally {
                destination.setAutoCommit(true);
            }
        }
    }

    private static void cancelWriters(Connection destination, List<TableName> tables) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT pg_cancel_backend(l.pid) FROM pg_locks l"
                + " WHERE l.relation = to_regclass(?) AND l.pid <> pg_backend_pid() AND l.granted")) {
            for (TableName t : tables) {
                ps.setString(1, SqlIdentifiers.qualified(t.schema(), t.table()));
                ps.executeQuery().close();
            }
        }
    }

    /** The job's slot name plus a random suffix: temporary slots of several attempts may overlap. */
    static String temporarySlotName(String slotName) {
        String suffix = String.format("_t%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        String base = slotName.length() + suffix.length() > 63 ? slotName.substring(0, 63 - suffix.length()) : slotName;
        return base + suffix;
    }

}
