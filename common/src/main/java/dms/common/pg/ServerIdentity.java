package dms.common.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Tells whether two sessions reach the same PostgreSQL server, whatever the connection profiles
 * say (two host names, an IP and a name, a proxy): a job whose source and destination are one
 * server would mix its copy into the source, and a restart would drop the source's database
 * (the destination database has the source database's name). docs/security.md, "Nothing destroyed".
 *
 * <p>First by {@code system_identifier} (pg_control_system()): different identifiers are
 * different servers; equal ones are one server (or a physical copy of it, which is refused
 * too: a standby is not writable, and a clone promoted from the source's base backup is rare
 * enough to ask for a fresh destination). Where a server hides its identifier, by a probe: the
 * source session takes a unique application_name, which pg_stat_activity shows to every user
 * of the server that holds the session.
 */
public final class ServerIdentity {

    private ServerIdentity() {}

    /** The server's system identifier, or null if this user may not read it (some managed services). */
    public static String systemIdentifier(Connection conn) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        java.sql.Savepoint savepoint = autoCommit ? null : conn.setSavepoint();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if (savepoint != null) {
                conn.rollback(savepoint);
            }
            if ("42501".equals(e.getSQLState()) || "42883".equals(e.getSQLState())) {
                return null; // insufficient privilege, or no such function (a PostgreSQL-like server)
            }
            throw e;
        }
    }

    /** True when {@code a} and {@code b} are sessions of one server (or of physical copies of one). */
    public static boolean sameServer(Connection a, Connection b) throws SQLException {
        String idA = systemIdentifier(a);
        String idB = systemIdentifier(b);
        if (idA != null && idB != null) {
            return idA.equals(idB);
        }
        return seesSession(a, b);
    }

    /**
     * Refuses a source and destination that are one server, with the reason and the way out.
     *
     * @throws SameServerException when they are
     */
    public static void requireDifferent(Connection source, Connection destination) throws SQLException {
        if (sameServer(source, destination)) {
            String id = systemIdentifier(source);
            throw new SameServerException("the source and the destination are the same PostgreSQL server"
                    + (id == null ? "" : " (system identifier " + id + ")")
                    + ": the job would copy each database onto itself, and a restart or purge would drop the source's data;"
                    + " point the destination connection profile at another server");
        }
    }

    /** Whether {@code observer}'s server shows the session of {@code subject}, marked with a unique application name. */
    private static boolean seesSession(Connection subject, Connection observer) throws SQLException {
        String previous;
        try (Statement st = subject.createStatement(); ResultSet rs = st.executeQuery("SHOW application_name")) {
            rs.next();
            previous = rs.getString(1);
        }
        String probe = "dms-identity-" + UUID.randomUUID();
        setApplicationName(subject, probe);
        try (PreparedStatement ps = observer.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, probe);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } finally {
            setApplicationName(subject, previous);
        }
    }

    private static void setApplicationName(Connection conn, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    /** Source and destination are one server. */
    public static final class SameServerException extends SQLException {
        public SameServerException(String message) {
            super(message, "55000");
        }
    }
}
