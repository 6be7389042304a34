package dms.dump.tasks;

import dms.common.messages.ConnectionProfile;
import dms.common.sql.SqlIdentifiers;
import dms.common.pg.PgConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The destination database of a job database: created like the source's (encoding, collation),
 * or accepted if it exists and holds no table yet; dropped on restart when asked.
 */
final class DestinationDatabase {

    private DestinationDatabase() {}

    /** Creates the database if absent; refuses one that already holds tables (it would be mixed with the copy). */
    static void ensureEmpty(PgConnector connector, ConnectionProfile destination, String database, Connection source) throws SQLException {
        try (Connection admin = connector.open(destination, "postgres")) {
            if (exists(admin, database)) {
                try (Connection db = connector.open(destination, database)) {
                    long tables = count(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema', ?)"
                            + " AND n.nspname NOT LIKE 'pg\\_toast%'");
                    if (tables > 0) {
                        throw new SQLException("destination database " + database + " exists and is not empty (" + tables
                                + " tables): drop it, or migrate into an empty one");
                    }
                }
                return;
            }
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
    }

    static void drop(PgConnector connector, ConnectionProfile destination, String database) throws SQLException {
        try (Connection admin = connector.open(destination, "postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(database) + " WITH (FORCE)");
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

    private static long count(Connection db, String sql) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, InternalSchema.SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A SQL string literal for values read from the catalog (encodings, locale names). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
