package dms.cdc.stream;

import dms.common.messages.ConnectionProfile;
import dms.common.pg.PgConnector;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A session kept open between the rounds of periodic work (a new one each round cost the server a backend start and
 * this worker an authentication): opened at the first use, and again after {@link #close()} (a failed use) or when the
 * profile was edited. One thread uses it; another may close it.
 */
public final class KeptSession implements AutoCloseable {

    private final PgConnector connector;
    private ConnectionProfile profile;
    private String database;
    private volatile Connection connection;

    public KeptSession(PgConnector connector) {
        this.connector = connector;
    }

    /** The session on {@code database}, opened if there is none, or if the profile changed (secrets aside). */
    public Connection get(ConnectionProfile server, String database) throws SQLException {
        ConnectionProfile bare = server.withoutSecrets();
        Connection open = connection;
        if (open != null && bare.equals(profile) && database.equals(this.database)) {
            return open;
        }
        close();
        open = connector.open(server, database);
        profile = bare;
        this.database = database;
        connection = open;
        return open;
    }

    /** Closes the session, if any: the next {@link #get} opens a new one. */
    @Override
    public void close() {
        Connection open = connection;
        connection = null;
        closeQuietly(open);
    }

    /** Closes {@code c} (null: nothing), on a path that has nothing to do about a failure to close. */
    public static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // broken already: nothing to release
        }
    }
}
