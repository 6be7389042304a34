package dms.common.verify;

import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table's content in two numbers, to compare a source table with its copy: the row count and
 * an md5 over the md5 of every row's text form. Equal checksums mean equal rows.
 *
 * <p>The order of the aggregate must be the same on both servers whatever their collations: the
 * order columns are compared as text in the "C" collation, and the row's own hash breaks ties (and
 * orders a table without a key). Both sessions must render values alike (pgjdbc sets DateStyle and
 * extra_float_digits; TimeZone is the JVM's), as two connections of one process do.
 */
public final class TableChecksum {

    public record Checksum(long rows, String md5) {}

    private TableChecksum() {}

    /**
     * @param orderColumns the primary key (or another unique key) when there is one, else empty;
     *     the two sides compared must be given the same list (it decides the order of the aggregate)
     */
    public static Checksum of(Connection conn, String schema, String table, List<String> orderColumns) throws SQLException {
        return of(conn, schema, table, orderColumns, KeyRange.ALL);
    }

    /**
     * The checksum of the rows of {@code range} only (a chunk of a big table, see {@link KeyChunks});
     * {@code orderColumns} must then be the primary key.
     */
    public static Checksum of(Connection conn, String schema, String table, List<String> orderColumns, KeyRange range)
            throws SQLException {
        String order = orderColumns.stream()
                .map(c -> "t." + SqlIdentifiers.quote(c) + "::text COLLATE \"C\"")
                .collect(Collectors.joining(", "));
        // ROW(t.*), not t: a column named t would win over the whole-row reference.
        String rowHash = "md5(ROW(t.*)::text)";
        order = order.isEmpty() ? rowHash + " COLLATE \"C\"" : order + ", " + rowHash + " COLLATE \"C\"";
        // ONLY: an inheritance parent's checksum covers its own rows, as its copy does.
        String sql = "SELECT count(*), md5(coalesce(string_agg(" + rowHash + ", '' ORDER BY " + order + "), ''))"
                + " FROM ONLY " + SqlIdentifiers.qualified(schema, table) + " t"
                + (range.isAll() ? "" : " WHERE " + KeyChunks.condition(orderColumns, range));
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            KeyChunks.bind(ps, 1, range);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Checksum(rs.getLong(1), rs.getString(2));
            }
        }
    }
}
