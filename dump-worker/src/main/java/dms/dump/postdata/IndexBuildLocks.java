package dms.dump.postdata;

import dms.common.messages.ConnectionProfile;
import dms.common.pg.PgConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * How post-data knows that no index is still being built after its table's copy: a table's copy is reported at
 * once, and its builds go on beside the next copies ({@link TableIndexBuild}), maybe on another worker than the one
 * that runs post-data. Every party holds an advisory lock of the job on the destination database in shared mode:
 * <ul>
 *   <li>a guard connection per job and database in each worker, taken before the copy is reported and kept while
 *       any of its tables has a build waiting or running ({@link #hold});</li>
 *   <li>each build's own connection ({@link #share}): if the worker dies, a build the server goes on with still
 *       holds it until its statement ends.</li>
 * </ul>
 * Post-data polls for the lock in exclusive mode ({@link #awaitBuilds}) before it reads which indexes are there. It
 * only ever tries (never queues), so a queued exclusive request cannot hold up a build's shared one.
 */
@ApplicationScoped
public class IndexBuildLocks {

    private static final Logger LOG = Logger.getLogger(IndexBuildLocks.class);
    /** The lock's first key (its namespace) and second (the job); hashtext is in every PostgreSQL version. */
    private static final String KEYS = "hashtext('dms.index-build'), hashtext(?)";
    private static final long POLL_MILLIS = 200;

    @Inject
    PgConnector connector;

    private record Key(String jobId, String database) {}

    private static final class Guard {
        final Connection connection;
        int holders;

        Guard(Connection connection) {
            this.connection = connection;
        }
    }

    private final Map<Key, Guard> guards = new HashMap<>();

    /**
     * Holds the job's lock on the task's destination database until the returned handle is closed: take it before
     * the copy is reported, so post-data cannot start in between.
     */
    public AutoCloseable hold(String jobId, ConnectionProfile destination, String database) throws SQLException {
        Key key = new Key(jobId, database);
        synchronized (guards) {
            Guard guard = guards.get(key);
            if (guard == null) {
                Connection conn = connector.open(destination, database);
                try {
                    share(conn, jobId);
                } catch (SQLException e) {
                    closeQuietly(conn);
                    throw e;
                }
                guard = new Guard(conn);
                guards.put(key, guard);
            }
            guard.holders++;
        }
        return () -> release(key);
    }

    private void release(Key key) {
        Connection last = null;
        synchronized (guards) {
            Guard guard = guards.get(key);
            if (guard != null && --guard.holders == 0) {
                guards.remove(key);
                last = guard.connection;
            }
        }
        if (last != null) {
            closeQuietly(last); // the session's lock goes with it
        }
    }

    /** Guard connections open now (one per job and database with builds waiting or running). */
    int guards() {
        synchronized (guards) {
            return guards.size();
        }
    }

    /** Takes the job's lock in shared mode for the session of {@code destination} (released when it closes). */
    static void share(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT pg_advisory_lock_shared(" + KEYS + ")")) {
            ps.setString(1, jobId);
            ps.execute();
        }
    }

    /**
     * Waits until no build of the job holds its lock on this destination database; returns the milliseconds waited.
     * A stop cancels the builds, so this ends then too.
     */
    static long awaitBuilds(Connection destination, String jobId) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        long nextLog = 0;
        while (!tryExclusive(destination, jobId)) {
            long waited = (System.nanoTime() - t0) / 1_000_000;
            if (waited >= nextLog) {
                LOG.infof("Post-data of %s waits for the index builds still running after their tables' copies (%d s so far)",
                        jobId, waited / 1000);
                nextLog = waited + 60_000;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Whether the lock was free: taken in exclusive mode and given back at once. */
    private static boolean tryExclusive(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT pg_try_advisory_lock(" + KEYS + ")")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = destination.prepareStatement("SELECT pg_advisory_unlock(" + KEYS + ")")) {
            ps.setString(1, jobId);
            ps.execute();
        }
        return true;
    }

    private static void closeQuietly(Connection conn) {
        try {
            conn.close();
        } catch (SQLException e) {
            // the server ends the session anyway
        }
    }
}
