package dms.dump.prepare;

import dms.common.pg.internal.DumpFence;
import dms.common.pg.internal.SchemaDumps;
import dms.common.pg.LargeObjects;
import dms.common.pg.ReplicationSlots;
import dms.common.messages.CopyRange;
import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.RoleHandling;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.dump.catalog.TableCatalog;
import dms.dump.catalog.TableInfo;
import dms.common.pg.PgConnector;
import dms.dump.copy.StreamSplit;
import dms.dump.copy.TableCopier;
import dms.dump.destination.DestinationDatabase;
import dms.dump.runtime.Errors;
import dms.dump.runtime.ProgressReporter;
import dms.dump.runtime.SnapshotHolders;
import dms.common.pg.roles.DestinationRoles;
import dms.dump.schema.SchemaDump;
import dms.dump.snapshot.SlotSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The first step of a database's dump, in the order the data path demands: the destination
 * database (empty), the tables without identity set to REPLICA IDENTITY FULL (with the job's consent), the publication then the slot (its exported snapshot and consistent LSN
 * are the job's CDC start), the schema dump at that snapshot, the roles it names (created where
 * missing, as the job's roles setting says), pre-data restored, and the
 * plan of copy units (big tables split into ranges). The snapshot stays held here until
 * every copy has imported it. Reports DUMP_STARTED with the plan, or FAILED.
 */
@ApplicationScoped
public class PrepareDatabase {

    private static final Logger LOG = Logger.getLogger(PrepareDatabase.class);

    @Inject
    PgConnector connector;
    @Inject
    SchemaDump schema;
    @Inject
    SnapshotHolders holders;
    @Inject
    ProgressReporter reporter;
    @Inject
    @Named("workerName")
    String worker;
    /** A table bigger than this is split whatever the streams ({@link StreamSplit}). */
    @ConfigProperty(name = "dms.dump.range-bytes", defaultValue = "8589934592")
    long rangeBytes;
    /** The smallest range worth its own unit when a table is split to keep the streams busy. */
    @ConfigProperty(name = "dms.dump.min-range-bytes", defaultValue = "67108864")
    long minRangeBytes;

    public void run(DumpTask.PrepareDatabase task) {
        String db = task.database();
        long t0 = System.nanoTime();
        SlotSnapshot snapshot = null;
        try (Connection source = connector.open(task.source(), db)) {
            schema.checkClientVersion(source);
            DestinationDatabase.prepare(connector, task.destination(), db, source, task.jobId(), task.runEpoch(),
                    Boolean.TRUE.equals(task.purgeDestination()));
            // Before the slot: the changes it decodes from then on carry the old rows of the tables set FULL.
            ReplicaIdentityConsent.Outcome identity = ReplicaIdentityConsent.apply(source, TableCatalog.list(source),
                    Boolean.TRUE.equals(task.replicaIdentityFull()));
            List<TableInfo> tables = identity.tables();
            // A task delivered again (worker crash) or a restart finds this job's own slot: nothing
            // copied under it is kept, so it is made anew.
            ReplicationSlots.dropSlotAndPublication(connector, task.source(), db, task.slotName(), task.publicationName());
            snapshot = SlotSnapshot.create(connector, task.source(), db, task.publicationName(), task.slotName(), tables, task.groups());
            holders.hold(task, snapshot);

            byte[] dump = schema.dumpSchema(task.source(), db, snapshot.snapshotName());
            RoleHandling roles = RoleHandling.of(task.roles());
            try (Connection destination = connector.open(task.destination(), db)) {
                SchemaDumps.save(destination, task.jobId(), task.runEpoch(), dump);
                DumpFence.set(destination, task.jobId(), snapshot.snapshotName(), snapshot.consistentLsn().toString());
                DestinationRoles.prepare(source, destination, roles);
            }
            schema.restore(dump, task.destination(), db, SchemaDump.Section.PRE_DATA, 1, roles != RoleHandling.SKIP);
            LargeObjects.Synced largeObjects = copyLargeObjects(task, snapshot.snapshotName(), roles != RoleHandling.SKIP);

            List<CopyUnit> units = plan(task, snapshot.snapshotName(), tables);
            List<String> withoutIdentity = tables.stream().filter(t -> !t.publishable()).map(TableInfo::toString).toList();
            reporter.report(new WorkerEvent.DumpStarted(WorkerEvent.Header.of(task.jobId(), task.runEpoch(), db, worker),
                    snapshot.slotName(), snapshot.consistentLsn().toString(), snapshot.snapshotName(), units, withoutIdentity,
                    identity.setFull().isEmpty() ? null : identity.setFull()));
            LOG.infof("Prepared %s/%s in %d ms: slot %s at %s, %d tables in %d copy units, large objects %s%s", task.jobId(), db,
                    (System.nanoTime() - t0) / 1_000_000, snapshot.slotName(), snapshot.consistentLsn(), tables.size(), units.size(),
                    largeObjects,
                    (withoutIdentity.isEmpty() ? "" : ", not replicated (no replica identity): " + withoutIdentity)
                            + (identity.setFull().isEmpty() ? "" : ", set to REPLICA IDENTITY FULL: " + identity.setFull()));
        } catch (Exception e) {
            if (snapshot != null) {
                holders.release(task.jobId(), task.runEpoch(), db);
            }
            LOG.errorf(e, "Preparing %s/%s failed", task.jobId(), db);
            reporter.report(WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.FAILED, worker)
                    .withError("preparing the dump failed: " + Errors.describe(e)));
        }
    }

    /**
     * Units in the order of the catalog (biggest tables first; the orchestrator hands them out by their
     * index work); a table split only where whole tables would leave some of the job's copies in
     * flight (the task's parallelism) idle at the end ({@link StreamSplit}); ranges planned at the snapshot.
     */
    private List<CopyUnit> plan(DumpTask.PrepareDatabase task, String snapshotName, List<TableInfo> tables) throws SQLException {
        List<CopyUnit> units = new ArrayList<>();
        try (Connection conn = atSnapshot(task, snapshotName)) {
            long[] sizes = tables.stream().mapToLong(TableInfo::sizeBytes).toArray();
            int streams = task.parallelism() == null ? Runtime.getRuntime().availableProcessors() : task.parallelism();
            boolean[] splittable = new boolean[tables.size()];
            for (int i = 0; i < tables.size(); i++) {
                splittable[i] = TableCopier.splittable(conn, tables.get(i));
            }
            int[] parts = StreamSplit.parts(sizes, streams, Math.min(minRangeBytes, rangeBytes), rangeBytes, i -> splittable[i]);
            for (int i = 0; i < tables.size(); i++) {
                TableInfo table = tables.get(i);
                List<CopyRange> ranges = TableCopier.split(conn, table, parts[i]);
                for (CopyRange range : ranges) {
                    units.add(new CopyUnit(units.size(), table.schema(), table.name(), table.columns(), range,
                            table.sizeBytes() / ranges.size(), table.estimatedRows() / ranges.size(), table.indexBuildBytes()));
                }
            }
            conn.rollback();
        }
        return units;
    }

    /**
     * The source's large objects as of the snapshot (logical decoding does not carry them; promote copies
     * what changed since). Idempotent: a prepare run again rewrites only what differs.
     */
    private LargeObjects.Synced copyLargeObjects(DumpTask.PrepareDatabase task, String snapshotName, boolean withOwners) throws SQLException {
        try (Connection source = atSnapshot(task, snapshotName); Connection destination = connector.open(task.destination(), task.database())) {
            LargeObjects.Synced synced = LargeObjects.sync(source, destination, withOwners);
            source.rollback();
            return synced;
        }
    }

    /** A source connection in a read-only transaction that imported the exported snapshot (the caller ends it). */
    private Connection atSnapshot(DumpTask.PrepareDatabase task, String snapshotName) throws SQLException {
        Connection conn = connector.open(task.source(), task.database());
        try {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                st.execute("SET TRANSACTION SNAPSHOT " + TableCopier.snapshotLiteral(snapshotName));
            }
            return conn;
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }
}
