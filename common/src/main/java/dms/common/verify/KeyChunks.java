package dms.common.verify;

import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Walks a table in primary-key order, a bounded number of rows at a time, so that no single
 * query reads a whole big table: each step is an index range scan of the key.
 */
public final class KeyChunks {

    private KeyChunks() {}

    /**
     * The key of the {@code rows}-th row after {@code after} (null: from the start), in key order,
     * or null when fewer rows follow.
     */
    public static List<String> nextBound(Connection conn, String schema, String table, List<String> key, List<String> after,
                                         int rows) throws SQLException {
        return nextBound(conn, schema, table, key, new KeyRange(after, null), rows);
    }

    /** The key of the {@code rows}-th row of {@code within}, in key order, or null when it has fewer rows. */
    public static List<String> nextBound(Connection conn, String schema, String table, List<String> key, KeyRange within,
                                         int rows) throws SQLException {
        if (rows < 1) {
            throw new IllegalArgumentException("a chunk has at least one row");
        }
        return keyAt(conn, schema, table, key, within, "", rows - 1L);
    }

    /** The greatest key after {@code after} (null: in the table), or null when no row follows. */
    public static List<String> lastKey(Connection conn, String schema, String table, List<String> key, List<String> after)
            throws SQLException {
        return keyAt(conn, schema, table, key, new KeyRange(after, null), " DESC", 0);
    }

    private static List<String> keyAt(Connection conn, String schema, String table, List<String> key, KeyRange within,
                                      String direction, long offset) throws SQLException {
        String sql = "SELECT " + key.stream().map(c -> "t." + SqlIdentifiers.quote(c) + "::text").collect(Collectors.joining(", "))
                + " FROM ONLY " + SqlIdentifiers.qualified(schema, table) + " t WHERE " + condition(key, within)
                + " ORDER BY " + key.stream().map(c -> "t." + SqlIdentifiers.quote(c) + direction).collect(Collectors.joining(", "))
                + " OFFSET ? LIMIT 1";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = bind(ps, 1, within);
            ps.setLong(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> bound = new ArrayList<>(key.size());
                for (int c = 1; c <= key.size(); c++) {
                    bound.add(rs.getString(c));
                }
                return bound;
            }
        }
    }

    /** The WHERE condition of {@code range} over {@code key} ("true" for all rows); bind its values with {@link #bind}. */
    static String condition(List<String> key, KeyRange range) {
        List<String> parts = new ArrayList<>();
        if (range.after() != null) {
            parts.add("ROW(" + columns(key) + ") > ROW(" + placeholders(key.size()) + ")");
        }
        if (range.upTo() != null) {
            parts.add("ROW(" + columns(key) + ") <= ROW(" + placeholders(key.size()) + ")");
        }
        return parts.isEmpty() ? "true" : String.join(" AND ", parts);
    }

    /** Binds the range's bounds from parameter {@code first} on; returns the next free index. */
    static int bind(PreparedStatement ps, int first, KeyRange range) throws SQLException {
        return bind(ps, bind(ps, first, range.after()), range.upTo());
    }

    private static int bind(PreparedStatement ps, int first, List<String> values) throws SQLException {
        int i = first;
        if (values != null) {
            for (String v : values) {
                // Untyped: the server reads the text as the key column's type.
                ps.setObject(i++, v, Types.OTHER);
            }
        }
        return i;
    }

    private static String columns(List<String> key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a key range needs key columns");
        }
        return key.stream().map(c -> "t." + SqlIdentifiers.quote(c)).collect(Collectors.joining(", "));
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
