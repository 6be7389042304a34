package dms.common.pg;

import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets every sequence of the destination to where the source's is now (docs/data-path.md,
 * rule 6: at the end of the dump and again at promote). Sequences are not transactional and not
 * replicated by logical decoding, so the value is read live, not at the snapshot: it is at least
 * the snapshot's, which is what the copied rows need.
 */
public final class SequenceSync {

    /**
     * pg_sequences.last_value is null for a sequence never used: it is then reset to its start with
     * is_called false, as a fresh one is. It is null too for a sequence the user may not read: that one
     * is an error (the pre-flight's SEQUENCE_NOT_READABLE), never reset to its start, which would hand
     * out values the source has used. Extension-owned sequences belong to their extension, which
     * pg_dump does not dump the members of.
     */
    private static final String SOURCE_SEQUENCES = """
            SELECT s.schemaname, s.sequencename, s.last_value, s.start_value,
                   has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable
            FROM pg_sequences s
            JOIN pg_namespace n ON n.nspname = s.schemaname
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
            WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """;

    /** The sequences of the connected database the user cannot read (pg_sequences hides their value). */
    public static final String UNREADABLE = """
            SELECT format('%I.%I', n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S'
              -- in a CASE: the planner may test a condition before relkind, and the function refuses other relations
              AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(c.oid, 'SELECT,USAGE') ELSE false END
              AND n.nspname NOT LIKE 'pg\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1
            """;

    private SequenceSync() {}

    /** Returns how many sequences were set. */
    public static int sync(Connection sourceConn, Connection destConn) throws SQLException {
        record Value(String qualified, long value, boolean isCalled) {}
        List<Value> values = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Statement st = sourceConn.createStatement(); ResultSet rs = st.executeQuery(SOURCE_SEQUENCES)) {
            while (rs.next()) {
                if (!rs.getBoolean("readable")) {
                    unreadable.add(SqlIdentifiers.qualified(rs.getString("schemaname"), rs.getString("sequencename")));
                    continue;
                }
                long last = rs.getLong("last_value");
                boolean called = !rs.wasNull();
                values.add(new Value(SqlIdentifiers.qualified(rs.getString("schemaname"), rs.getString("sequencename")),
                        called ? last : rs.getLong("start_value"), called));
            }
        }
        if (!unreadable.isEmpty()) {
            throw new SQLException("the source user cannot read sequence(s) " + unreadable + ": their values cannot be"
                    + " carried over (GRANT SELECT ON SEQUENCE ... TO the source user)", "42501");
        }
        // The name travels as a bound text parameter, made of quoted identifiers, cast to regclass by the server.
        try (PreparedStatement ps = destConn.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
            for (Value v : values) {
                ps.setString(1, v.qualified());
                ps.setLong(2, v.value());
                ps.setBoolean(3, v.isCalled());
                ps.executeQuery().close();
            }
        }
        return values.size();
    }
}
