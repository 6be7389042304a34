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
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Builds a table's indexes and key constraints as soon as its copy is complete, in the copy's task
 * (so it counts as one of the job's copies in flight, against the cores), while other tables are
 * still copying, as pgcopydb does: post-data at the end then has only what needs several tables
 * (foreign keys), triggers and the rest left, and skips what is built ({@link PostData}). Only a
 * table copied whole in one unit: a table in ranges is complete only when all of them are, which
 * no single copy knows, so its indexes come with post-data. The build is an optimisation: if it
 * fails or is cancelled (a stop), post-data builds what is missing, and the copy stands.
 */
@ApplicationScoped
public class TableIndexBuild {

    private static final Logger LOG = Logger.getLogger(TableIndexBuild.class);

    @Inject
    PgConnector connector;
    @Inject
    SchemaDump schema;
    @Inject
    RunningCopies running;

    /** Builds the indexes and key constraints of the copied unit's table; never throws. */
    public void afterCopy(DumpTask.CopyTable task) {
        String table = task.unit().qualifiedName();
        long t0 = System.nanoTime();
        try (Connection source = connector.open(task.source(), task.database());
             Connection destination = connector.open(task.destination(), task.database())) {
            Set<String> objects = TableIndexes.objectsOf(source, task.unit().schema(), task.unit().table());
            if (objects.isEmpty()) {
                return; // nothing to build: no pg_restore run
            }
            byte[] dump = SchemaDumps.load(destination, task.jobId());
            List<ArchiveToc.Entry> entries = TableIndexes.entries(ArchiveToc.parse(schema.list(dump)), objects);
            if (entries.isEmpty()) {
                return;
            }
            String sql = schema.script(dump, ArchiveToc.only(entries));
            try (AutoCloseable registration = running.register(task, () -> cancelQuietly(destination));
                 Statement st = destination.createStatement()) {
                // One implicit transaction: the table gets all of them or none (post-data builds what is missing).
                st.execute(sql);
            }
            LOG.infof("Indexed %s/%s %s: %d indexes and key constraints in %d ms", task.jobId(), task.database(), table,
                    entries.size(), (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            LOG.warnf("Indexes of %s/%s %s not built after its copy (post-data builds them): %s", task.jobId(), task.database(),
                    table, Errors.describe(e));
        }
    }

    private static void cancelQuietly(Connection conn) {
        try {
            conn.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // gone already: nothing runs on it
        }
    }
}
