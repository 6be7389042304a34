package dms.dump.postdata;

import dms.common.messages.DumpTask;
import dms.common.pg.PgConnector;
import dms.common.pg.internal.SchemaDumps;
import dms.dump.runtime.Errors;
import dms.dump.runtime.RunningCopies;
import dms.dump.schema.ArchiveToc;
import dms.dump.schema.SchemaDump;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Builds a table's indexes and key constraints as soon as its copy is complete, while other tables are still
 * copying, as pgcopydb does: post-data at the end then has only what needs several tables (foreign keys),
 * triggers and the rest left, and skips what is built ({@link PostData}). The copy is reported at once: the
 * builds do not hold one of the job's copies in flight, so the next copy runs beside them. Each index is its own
 * job on its own connection and transaction, scheduled by {@link IndexBuildStreams} on the streams no copy uses,
 * biggest first; {@link IndexBuildLocks} makes post-data wait for them. Only a table copied whole in one unit: a
 * table in ranges is complete only when all of them are, which no single copy knows, so its indexes come with
 * post-data. The build is an optimisation: an index that fails or is cancelled (a stop) is built by post-data,
 * and the copy stands.
 */
@ApplicationScoped
public class TableIndexBuild {

    private static final Logger LOG = Logger.getLogger(TableIndexBuild.class);
    private static final long MIN_MEMORY_MB = 64;

    @Inject
    PgConnector connector;
    @Inject
    SchemaDump schema;
    @Inject
    RunningCopies running;
    @Inject
    IndexBuildStreams streams;
    @Inject
    IndexBuildLocks locks;
    /**
     * maintenance_work_mem shared by the builds running at once on the destination (each gets its share of it,
     * at least 64 MB): a sort that fits in memory is not spilled to disk, and PostgreSQL's parallel build needs
     * 32 MB per worker. Give about a quarter of the destination's memory.
     */
    @ConfigProperty(name = "dms.dump.index-build.memory-mb", defaultValue = "1024")
    long memoryMb;

    /** Reads what each copied table has to build (a catalog query and the run's schema), a few tables at a time. */
    private final ExecutorService preparing = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "index-build-prepare");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts building the indexes and key constraints of the copied unit's table, and returns: call it after the copy
     * committed and before it is reported (the job's lock is taken here, so post-data waits for the builds). Never throws.
     */
    public void afterCopy(DumpTask.CopyTable task) {
        AutoCloseable guard;
        try {
            guard = locks.hold(task.jobId(), task.destination(), task.database());
        } catch (SQLException e) {
            LOG.warnf("Indexes of %s/%s %s not built after its copy (post-data builds them): %s", task.jobId(), task.database(),
                    task.unit().qualifiedName(), Errors.describe(e));
            return;
        }
        preparing.execute(() -> build(task, guard));
    }

    private void build(DumpTask.CopyTable task, AutoCloseable guard) {
        String table = task.unit().qualifiedName();
        long t0 = System.nanoTime();
        Set<Connection> open = ConcurrentHashMap.newKeySet();
        AtomicBoolean cancelled = new AtomicBoolean();
        AutoCloseable registration = running.register(task, () -> {
            cancelled.set(true); // the jobs not started yet are not started
            open.forEach(TableIndexBuild::cancelQuietly);
        });
        boolean handedOver = false;
        try {
            if (leftToPostData(task, cancelled)) {
                return; // stopped, or post-data began while it waited to be prepared: its restore builds them
            }
            byte[] dump;
            List<IndexJob> jobs;
            try (Connection source = connector.open(task.source(), task.database());
                 Connection destination = connector.open(task.destination(), task.database())) {
                Map<String, Long> objects = TableIndexes.objectsOf(source, task.unit().schema(), task.unit().table());
                if (objects.isEmpty()) {
                    return; // nothing to build: no pg_restore run
                }
                RunSchema run = runSchema(task, destination);
                dump = run.dump();
                jobs = TableIndexes.entries(run.toc(), objects); // IndexBuildStreams runs the biggest first
            }
            if (jobs.isEmpty()) {
                return;
            }
            streams.submit(jobs, (one, parallelWorkers) -> {
                if (leftToPostData(task, cancelled)) {
                    return false;
                }
                buildOne(task, dump, one, parallelWorkers, open);
                return true;
            }).whenComplete((built, error) -> {
                closeQuietly(registration);
                closeQuietly(guard);
                int n = built == null ? 0 : built;
                LOG.infof("Indexed %s/%s %s: %d indexes and key constraints in %d ms after its copy (%d of %d built)", task.jobId(),
                        task.database(), table, n, (System.nanoTime() - t0) / 1_000_000, n, jobs.size());
            });
            handedOver = true;
        } catch (Exception e) {
            LOG.warnf("Indexes of %s/%s %s not built after its copy (post-data builds them): %s", task.jobId(), task.database(),
                    table, Errors.describe(e));
        } finally {
            if (!handedOver) {
                closeQuietly(registration);
                closeQuietly(guard);
            }
        }
    }

    /** Whether a build not started yet is no longer to start: its job stopped, or post-data's restore builds it with the rest. */
    private boolean leftToPostData(DumpTask.CopyTable task, AtomicBoolean cancelled) throws SQLException {
        return cancelled.get() || running.cancelled(task) || locks.postDataBegun(task.jobId(), task.database());
    }

    /** One index or key constraint, on a connection of its own that holds the job's lock (a stop cancels it). */
    private void buildOne(DumpTask.CopyTable task, byte[] dump, IndexJob one, int parallelWorkers, Set<Connection> open)
            throws Exception {
        long s0 = System.nanoTime();
        long memory = Math.max(MIN_MEMORY_MB, memoryMb / streams.streams());
        try (Connection destination = connector.open(task.destination(), task.database());
             Statement st = destination.createStatement()) {
            open.add(destination);
            try {
                IndexBuildLocks.share(destination, task.jobId());
                if (destination.getMetaData().getDatabaseMajorVersion() >= 14) {
                    // A build whose worker died ends within a second instead of going on (and holding the lock) to its end.
                    st.execute("SET client_connection_check_interval = '1s'");
                }
                st.execute("SET maintenance_work_mem = '" + memory + "MB'");
                st.execute("SET max_parallel_maintenance_workers = " + parallelWorkers);
                // One statement's implicit transaction: the index is there whole or not at all (post-data builds it then).
                st.execute(schema.script(dump, ArchiveToc.only(List.of(one.entry()))));
            } finally {
                open.remove(destination);
            }
            LOG.infof("Index built %s/%s %s: %s (%.1f MB on the source) in %d ms (maintenance_work_mem %d MB, %d parallel workers)",
                    task.jobId(), task.database(), task.unit().qualifiedName(), one.entry().rest(), one.sourceBytes() / 1e6,
                    (System.nanoTime() - s0) / 1_000_000, memory, parallelWorkers);
        } catch (Exception e) {
            LOG.warnf("Index of %s/%s %s not built after its copy (post-data builds it): %s: %s", task.jobId(),
                    task.database(), task.unit().qualifiedName(), one.entry().rest(), Errors.describe(e));
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debugf("closing after an index build: %s", e.getMessage());
        }
    }

    /** A run's schema dump and its table of contents, read once per snapshot (not once per table: thousands of tables). */
    private record RunSchema(String snapshotName, byte[] dump, ArchiveToc toc) {}

    /** The last runs' schemas (a worker copies for a few jobs at a time). */
    private final Map<String, RunSchema> runSchemas = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunSchema> eldest) {
            return size() > 4;
        }
    });

    private RunSchema runSchema(DumpTask.CopyTable task, Connection destination) throws SQLException {
        String key = task.jobId() + "/" + task.database();
        RunSchema known = runSchemas.get(key);
        if (known != null && known.snapshotName().equals(task.snapshotName())) {
            return known;
        }
        byte[] dump = SchemaDumps.load(destination, task.jobId());
        RunSchema loaded = new RunSchema(task.snapshotName(), dump, ArchiveToc.parse(schema.list(dump)));
        runSchemas.put(key, loaded);
        return loaded;
    }

    private static void cancelQuietly(Connection conn) {
        try {
            conn.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // gone already: nothing runs on it
        }
    }
}
