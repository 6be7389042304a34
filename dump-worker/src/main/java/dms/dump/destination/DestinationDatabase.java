package dms.dump.destination;

import dms.common.messages.ConnectionProfile;
import dms.common.pg.internal.DatabaseOwnership;
import dms.common.pg.PgConnector;
import dms.common.pg.ServerIdentity;
import dms.common.pg.UserTables;
import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The destination database of a job database. Destroy only what you made (docs/security.md,
 * "Nothing destroyed"): a database the job creates is marked as the job's in it
 * ({@link DatabaseOwnership}), and a restart or a purge drops only a database with
 * that job's mark. A database that existed before is used only if it holds no table, and is
 * never dropped; the job fails instead, saying what to do.
 */
public final class DestinationDatabase {

    private DestinationDatabase() {}

    /**
     * Makes the job's destination database ready for a new dump: refuses a destination that is the
     * source's server; with {@code wipe} (restart), drops the database if this job created it;
     * creates it if absent (marked as the job's), or accepts it if it exists and holds no table.
     */
    public static void prepare(PgConnector connector, ConnectionProfile destination, String database, Connection source,
                        String jobId, long runEpoch, boolean wipe) throws SQLException {
        try (Connection admin = connector.open(destination, "postgres")) {
            ServerIdentity.requireDifferent(source, admin);
            boolean exists = exists(admin, database);
            boolean ours = exists && createdBy(connector, destination, database, jobId);
            if (wipe && ours) {
                drop(admin, database);
                exists = false;
            }
            if (exists) {
                long tables = tables(connector, destination, database);
                if (tables > 0) {
                    throw new SQLException(notEmpty(database, tables, jobId, wipe));
                }
                return;
            }
            create(admin, database, source);
        }
        try (Connection db = connector.open(destination, database)) {
            DatabaseOwnership.mark(db, jobId, runEpoch);
        }
    }

    /**
     * Drops the database if this job created it (delete with purge). Returns false, dropping
     * nothing, for a database the job did not create (or that is gone already).
     */
    public static boolean dropIfCreatedBy(PgConnector connector, ConnectionProfile destination, String database, String jobId)
            throws SQLException {
        try (Connection admin = connector.open(destination, "postgres")) {
            if (!exists(admin, database) || !createdBy(connector, destination, database, jobId)) {
                return false;
            }
            drop(admin, database);
            return true;
        }
    }

    /** The job lets go of a database it created (deleted without purge): it is the user's now, never dropped by a job. */
    public static void release(PgConnector connector, ConnectionProfile destination, String database, String jobId) throws SQLException {
        try (Connection admin = connector.open(destination, "postgres")) {
            if (!exists(admin, database)) {
                return;
            }
        }
        try (Connection db = connector.open(destination, database)) {
            DatabaseOwnership.release(db, jobId);
        }
    }

    private static String notEmpty(String database, long tables, String jobId, boolean wipe) {
        String what = "destination database " + database + " exists and holds " + tables + " table(s)";
        if (!wipe) {
            return what + ": the copy would be mixed with them. Migrate into a database that is absent (the job creates it)"
                    + " or empty, or drop " + database + " on the destination yourself if its data is not needed";
        }
        return what + ", and job " + jobId + " did not create it (it existed before the job, or the job was deleted"
                + " without purge since): a restart drops only databases the job created. Drop or empty " + database
                + " on the destination yourself if its data is not needed, then restart";
    }

    private static void create(Connection admin, String database, Connection source) throws SQLException {
        String encoding;
        String collate;
        String ctype;
        try (PreparedStatement ps = source.prepareStatement(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = current_database()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            encoding = rs.getString(1);
            collate = rs.getString(2);
            ctype = rs.getString(3);
        }
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + SqlIdentifiers.quote(database) + " TEMPLATE template0 ENCODING "
                    + literal(encoding) + " LC_COLLATE " + literal(collate) + " LC_CTYPE " + literal(ctype));
        } catch (SQLException e) {
            // The destination may not offer the source's locale (AlloyDB, another OS): keep the encoding at least.
            try (Statement st = admin.createStatement()) {
                st.execute("CREATE DATABASE " + SqlIdentifiers.quote(database) + " TEMPLATE template0 ENCODING " + literal(encoding));
            }
        }
    }

    private static void drop(Connection admin, String database) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(database) + " WITH (FORCE)");
        }
    }

    private static boolean createdBy(PgConnector connector, ConnectionProfile destination, String database, String jobId)
            throws SQLException {
        try (Connection db = connector.open(destination, database)) {
            return DatabaseOwnership.createdBy(db, jobId);
        }
    }

    private static boolean exists(Connection admin, String database) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long tables(PgConnector connector, ConnectionProfile destination, String database) throws SQLException {
        try (Connection db = connector.open(destination, database)) {
            return UserTables.count(db);
        }
    }

    /** A SQL string literal for values read from the catalog (encodings, locale names). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
