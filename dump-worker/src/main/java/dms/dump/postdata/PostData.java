package dms.dump.postdata;

import dms.common.pg.internal.SchemaDumps;
import dms.common.messages.DumpTask;
import dms.common.messages.RoleHandling;
import dms.common.pg.MaterializedViews;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.common.pg.PgConnector;
import dms.dump.runtime.Errors;
import dms.dump.runtime.ProgressReporter;
import dms.dump.runtime.SnapshotHolders;
import dms.common.pg.roles.ObjectOwners;
import dms.dump.schema.ArchiveToc;
import dms.dump.schema.SchemaDump;
import dms.common.pg.SequenceSync;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The last step of a database's dump, once every unit is copied: indexes, constraints and
 * triggers from the schema dump (parallel pg_restore), less the indexes and key constraints built
 * right after their table's copy ({@link TableIndexBuild}; it first waits for those running and takes
 * over those not started, {@link IndexBuildLocks}), the materialized views filled in
 * dependency order, the objects given to their source owners (unless the job's roles setting is
 * SKIP), then every sequence set to the source's value. Reports DUMP_COMPLETED: the database is
 * ready for CDC.
 */
@ApplicationScoped
public class PostData {

    private static final Logger LOG = Logger.getLogger(PostData.class);

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

    public void run(DumpTask.PostData task) {
        String db = task.database();
        long t0 = System.nanoTime();
        // Every copy has imported the snapshot by now.
        holders.release(task.jobId(), task.runEpoch(), db);
        try {
            byte[] dump;
            boolean done;
            try (Connection destination = connector.open(task.destination(), db)) {
                dump = SchemaDumps.load(destination, task.jobId());
                done = SchemaDumps.postDataDone(destination, task.jobId());
            }
            int jobs = task.parallelism() == null ? 1 : Math.max(1, task.parallelism());
            RoleHandling roles = RoleHandling.of(task.roles());
            int prebuilt = 0;
            long waited = 0;
            if (done) {
                // A post-data that finished while the job was stopped: its indexes are there.
                LOG.infof("Post-data of %s/%s was applied already", task.jobId(), db);
            } else {
                // What tables got right after their copy (TableIndexBuild) is not built again; what they have not
                // started yet is left to this restore (the gate's session says post-data has begun until it is done).
                ArchiveToc toc = ArchiveToc.parse(schema.list(dump));
                try (Connection gate = connector.open(task.destination(), db)) {
                    IndexBuildLocks.beginPostData(gate, task.jobId());
                    waited = IndexBuildLocks.awaitBuilds(gate, task.jobId());
                    Set<Integer> built;
                    try (Connection source = connector.open(task.source(), db)) {
                        built = TableIndexes.built(source, gate, toc);
                    }
                    schema.restore(dump, task.destination(), db, SchemaDump.Section.POST_DATA, jobs, roles != RoleHandling.SKIP,
                            toc.without(built));
                    prebuilt = built.size();
                    SchemaDumps.markPostDataDone(gate, task.jobId());
                }
            }
            int sequences;
            int owned = 0;
            MaterializedViews.Refreshed views;
            try (Connection source = connector.open(task.source(), db);
                 Connection destination = connector.open(task.destination(), db)) {
                // Filled while the migration user still owns them all; the owners are given back after.
                views = MaterializedViews.refresh(destination, MaterializedViews.populated(source));
                if (roles != RoleHandling.SKIP) {
                    owned = ObjectOwners.restore(source, destination);
                }
                sequences = SequenceSync.sync(source, destination);
            }
            if (!views.leftEmpty().isEmpty()) {
                LOG.warnf("Materialized views of %s/%s left unpopulated: %s", task.jobId(), db, views.leftEmpty());
            }
            LOG.infof("Post-data of %s/%s done in %d ms (%d ms of it waiting for the index builds after the copies; %d parallel"
                    + " jobs, %d indexes and key constraints built after their table's copy), %d materialized views filled, %d objects"
                    + " given to their owners, %d sequences synced", task.jobId(), db, (System.nanoTime() - t0) / 1_000_000, waited,
                    jobs, prebuilt, views.filled(), owned, sequences);
            reporter.report(WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.DUMP_COMPLETED, worker));
        } catch (Exception e) {
            LOG.errorf(e, "Post-data of %s/%s failed", task.jobId(), db);
            reporter.report(WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.FAILED, worker)
                    .withError("post-data (indexes, constraints, materialized views, owners, sequences) failed: " + Errors.describe(e)));
        }
    }
}
