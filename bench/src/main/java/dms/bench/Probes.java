package dms.bench;

import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The bench's polling queries (has the destination got the last row yet? how far behind is it?) on one kept
 * session per server and database. A new session per poll made each server fork a backend and authenticate 10 to
 * 50 times a second, CPU taken from the consumer being measured, and on a busy machine each poll took 0.3 s,
 * which thinned the lag samples. Closed after each measured run, so that its database can be dropped.
 */
final class Probes implements AutoCloseable {

    private final Map<String, Connection> sessions = new HashMap<>();

    /** The first column of the first row, or null. */
    synchronized String query(PgCluster cluster, String database, String sql) {
        String key = cluster.port() + "/" + database;
        try {
            Connection c = sessions.get(key);
            if (c == null || c.isClosed()) {
                c = cluster.connect(database);
                sessions.put(key, c);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            closeQuietly(sessions.remove(key));
            throw new BenchFailure(cluster.port() + "/" + database + ": " + e.getMessage() + " in: " + sql);
        }
    }

    @Override
    public synchronized void close() {
        sessions.values().forEach(Probes::closeQuietly);
        sessions.clear();
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            // closing
        }
    }
}
