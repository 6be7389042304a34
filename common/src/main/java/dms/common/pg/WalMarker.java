package dms.common.pg;

import dms.common.pg.internal.InternalSchema;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A marker in the source's WAL that a job's CDC stream applies as an empty transaction: once the
 * destination's applied position reaches the LSN {@link #emit} returns, every transaction committed
 * before the call is applied. Used by the drain of promote, the heartbeats, and the data check of verify.
 * Two ways, by the source's version (docs/cdc.md#markers):
 * <ul>
 * <li>PostgreSQL 14+: a non-transactional logical decoding message with prefix {@value #PREFIX} and the
 * token as content (pgoutput forwards messages from 14 on). One WAL record, no table, no xid.
 * <li>Before 14: a row of the job's marker table ({@link #table}, in the job's publication, made by the
 * dump-worker with the publication): {@code INSERT ... ON CONFLICT DO UPDATE} of the token in a
 * transaction of its own, whose commit the stream turns into the same marker (Debezium's heartbeat
 * action query pattern). The LSN returned is read inside that transaction, before its commit, so it is
 * after every commit made before the call and before the marker's own commit: the applied position
 * passes it when the marker is applied.
 * </ul>
 */
public final class WalMarker {

    public static final String PREFIX = "dms.drain";
    /** pgoutput forwards logical decoding messages from this server version on. */
    public static final int MESSAGES_SINCE = 140000;
    /** The marker table's schema on the source: the migration's own, never dumped nor verified. */
    public static final String SCHEMA = InternalSchema.SCHEMA;

    private WalMarker() {}

    /** Whether a source of {@code serverVersionNum} takes the marker table rather than messages. */
    public static boolean needsTable(int serverVersionNum) {
        return serverVersionNum < MESSAGES_SINCE;
    }

    /** The unquoted name (in {@link #SCHEMA}) of the marker table of a job database's slot: one per slot. */
    public static String table(String slotName) {
        return slotName + "_marker";
    }

    /** The marker table's qualified name; slot names are lower-case identifiers that need no quoting. */
    public static String qualifiedTable(String slotName) {
        return SCHEMA + "." + table(slotName);
    }

    /** The comment that marks the schema as the migration's own (set only when the migration created it). */
    static final String SCHEMA_MARK = "created by the database migration service for its marker tables; dropped with the last of them";

    /** The comment that marks the marker table of {@code slotName} as this job's (checked before it is dropped). */
    static String tableMark(String slotName) {
        return "marker table of replication slot " + slotName + ", created by the database migration service";
    }

    /**
     * Creates the marker table of {@code slotName} if missing (in the caller's transaction), and the schema if
     * missing, each with its mark. A table of that name without this slot's mark is not ours: refused.
     */
    public static void createTable(Connection source, String slotName) throws SQLException {
        try (Statement st = source.createStatement()) {
            if (!exists(source, "SELECT 1 FROM pg_namespace WHERE nspname = '" + SCHEMA + "'")) {
                st.execute("CREATE SCHEMA " + SCHEMA);
                st.execute("COMMENT ON SCHEMA " + SCHEMA + " IS '" + SCHEMA_MARK + "'");
            }
            String mark = tableMark(slotName);
            if (exists(source, "SELECT to_regclass('" + qualifiedTable(slotName) + "')::text WHERE to_regclass('"
                    + qualifiedTable(slotName) + "') IS NOT NULL")) {
                if (!mark.equals(description(source, "SELECT obj_description('" + qualifiedTable(slotName) + "'::regclass, 'pg_class')"))) {
                    throw new SQLException("the source has a table " + qualifiedTable(slotName) + " that this migration did not create:"
                            + " rename or drop it, then start again");
                }
                return;
            }
            st.execute("CREATE TABLE " + qualifiedTable(slotName)
                    + " (slot text PRIMARY KEY, token text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
            st.execute("COMMENT ON TABLE " + qualifiedTable(slotName) + " IS '" + mark + "'");
        }
    }

    /**
     * Drops the marker table of {@code slotName} if it bears this slot's mark, and the schema if it bears the
     * migration's mark and nothing is left in it: never an object the migration did not create.
     */
    public static void dropTable(Connection source, String slotName) throws SQLException {
        try (Statement st = source.createStatement()) {
            String table = qualifiedTable(slotName);
            if (tableMark(slotName).equals(description(source, "SELECT obj_description(to_regclass('" + table + "'), 'pg_class')"))) {
                st.execute("DROP TABLE " + table);
            }
            boolean ours = SCHEMA_MARK.equals(description(source,
                    "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = '" + SCHEMA + "'"));
            if (ours && !exists(source, "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                    + SCHEMA + "'")) {
                st.execute("DROP SCHEMA " + SCHEMA + " RESTRICT");
            }
        } catch (SQLException e) {
            if (!"2BP01".equals(e.getSQLState())) { // something else of the schema's (a function, a type): it stays
                throw e;
            }
        }
    }

    private static String description(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean exists(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next();
        }
    }

    /**
     * Writes the marker for the stream of {@code slotName}; returns its LSN (after every commit made before
     * this call). {@code source} must not be inside a transaction when the source is older than 14.
     */
    public static Lsn emit(Connection source, String slotName, String token) throws SQLException {
        if (!needsTable(source.getMetaData().getDatabaseMajorVersion() * 10000)) {
            try (PreparedStatement ps = source.prepareStatement("SELECT pg_logical_emit_message(false, ?, ?)::text")) {
                ps.setString(1, PREFIX);
                ps.setString(2, token);
                return lsn(ps);
            }
        }
        if (!source.getAutoCommit()) {
            throw new IllegalStateException("a marker of a source before PostgreSQL 14 commits alone: emit it outside a transaction");
        }
        return Transactions.inOne(source, () -> {
            try (PreparedStatement upsert = source.prepareStatement("INSERT INTO " + qualifiedTable(slotName)
                    + " (slot, token, at) VALUES (?, ?, now()) ON CONFLICT (slot) DO UPDATE SET token = excluded.token, at = excluded.at");
                 PreparedStatement position = source.prepareStatement("SELECT pg_current_wal_insert_lsn()::text")) {
                upsert.setString(1, slotName);
                upsert.setString(2, token);
                upsert.executeUpdate();
                return lsn(position);
            }
        });
    }

    private static Lsn lsn(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }
}
