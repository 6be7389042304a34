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
     * pg_sequences.last_value is null for a sequence never used (or not readable by us): it is
     * then reset to its start with is_called false, as a fresh one is. Extension-owned sequences
     * belong to their extension, which pg_dump does not dump the members of.
     */
    private static final String SOURCE_SEQUENCES = """
            SELECT s.schemaname, s.sequencename, s.last_value, s.start_value
            FROM pg_sequences s
            JOIN pg_namespace n ON n.nspname = s.schemaname
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
            WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1, 2
            """;

    private SequenceSync() {}

    /** Returns how many sequences were set. */
    public static int sync(Connection sourceConn, Connection destConn) throws SQLException {
        record Value(String qualified, long value, boolean isCalled) {}
        List<Value> values = new ArrayList<>();
        try (Statement st = sourceConn.createStatement(); ResultSet rs = st.executeQuery(SOURCE_SEQUENCES)) {
            while (rs.next()) {
                long last = rs.getLong("last_value");
                boolean called = !rs.wasNull();
                values.add(new Value(SqlIdentifiers.qualified(rs.getString("schemaname"), rs.getString("sequencename")),
                        called ? last : rs.getLong("start_value"), called));
            }
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
