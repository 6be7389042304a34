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
 * that runs post-data. Two advisory locks of the job on the destination database:
 * <ul>
 *   <li><b>the builds' lock</b>, held in shared mode by a guard connection per job and database in each worker,
 *       taken before the copy is reported and kept while any of its tables has a build waiting or running
 *       ({@link #hold}), and by each build's own connection ({@link #share}): if the worker dies, a build the
 *       server goes on with still holds it until its statement ends;</li>
 *   <li><b>post-data's lock</b>, held by post-data from its start to its end ({@link #beginPostData}): a build not
 *       started yet sees it ({@link #postDataBegun}) and is left to post-data's {@code pg_restore -j}, which
 *       builds many indexes at once for less than one connection and script each.</li>
 * </ul>
 * Post-data takes its lock, then polls for the builds' lock in exclusive mode ({@link #awaitBuilds}): it waits only
 * for the builds already running. It only ever tries the builds' lock (never queues), so a queued exclusive
 * request cannot hold up a build's shared one; builds only try post-data's.
 */
@ApplicationScoped
public class IndexBuildLocks {

    private static final Logger LOG = Logger.getLogger(IndexBuildLocks.class);
    /** The builds' lock: its first key (a namespace) and second (the job); hashtext is in every PostgreSQL version. */
    private static final String KEYS = "hashtext('dms.index-build'), hashtext(?)";
    /** Post-data's lock. */
    private static final String POST_DATA_KEYS = "hashtext('dms.post-data'), hashtext(?)";
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

    /**
     * Whether post-data of the job has begun on the destination database, asked on the worker's guard connection
     * (held, so the answer "no" holds post-data back until the build that asked has taken the builds' lock too).
     */
    boolean postDataBegun(String jobId, String database) throws SQLException {
        synchronized (guards) {
            Guard guard = guards.get(new Key(jobId, database));
            if (guard == null) {
                return true; // no guard: nothing keeps post-data from running, so no build may start
            }
            if (tryLock(guard.connection, "pg_try_advisory_lock_shared", POST_DATA_KEYS, jobId)) {
                call(guard.connection, "pg_advisory_unlock_shared", POST_DATA_KEYS, jobId);
                return false;
            }
            return true;
        }
    }

    /** Post-data of the job begins: builds not started from now on are left to it; held until the session ends. */
    static void beginPostData(Connection destination, String jobId) throws SQLException {
        call(destination, "pg_advisory_lock", POST_DATA_KEYS, jobId);
    }

    /** Takes the job's lock in shared mode for the session of {@code destination} (released when it closes). */
    static void share(Connection destination, String jobId) throws SQLException {
        call(destination, "pg_advisory_lock_shared", KEYS, jobId);
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

    /** Whether the builds' lock was free: taken in exclusive mode and given back at once. */
    private static boolean tryExclusive(Connection destination, String jobId) throws SQLException {
        if (!tryLock(destination, "pg_try_advisory_lock", KEYS, jobId)) {
            return false;
        }
        call(destination, "pg_advisory_unlock", KEYS, jobId);
        return true;
    }

    private static boolean tryLock(Connection conn, String function, String keys, String jobId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + function + "(" + keys + ")")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** {@code SELECT function(keys)} for the job: takes or gives back a lock. */
    private static void call(Connection conn, String function, String keys, String jobId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + function + "(" + keys + ")")) {
            ps.setString(1, jobId);
            ps.execute();
        }
    }

    private static void closeQuietly(Connection conn) {
        try {
            conn.close();
        } catch (SQLException e) {
            // the server ends the session anyway
        }
    }
}
