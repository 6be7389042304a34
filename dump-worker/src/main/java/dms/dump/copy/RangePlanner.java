package dms.dump.copy;

import dms.common.messages.CopyRange;
import dms.common.sql.SqlIdentifiers;
import dms.dump.catalog.TableInfo;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a table into ranges that parallel copies take under the same snapshot (docs/data-path.md,
 * rule 7), each reading only its own part of the table: on PostgreSQL 14+ heap pages by ctid (a
 * TID range scan reads just those pages); before 14, a single-column integer primary key split
 * evenly between its min and max (an index scan of the range); otherwise the table stays whole
 * (a range would be a filter over a full scan). How many parts: {@link StreamSplit}. The first and
 * last ranges are open-ended.
 */
final class RangePlanner {

    /** More ranges than this only adds per-range overhead. */
    static final int MAX_RANGES = 1024;
    private static final int INT2 = 21;
    private static final int INT4 = 23;
    private static final int INT8 = 20;

    private RangePlanner() {}

    /** One whole-table range for a table of at most {@code targetBytesPerRange}, else about size/target ranges. */
    static List<CopyRange> planRanges(Connection conn, TableInfo table, long targetBytesPerRange) throws SQLException {
        if (targetBytesPerRange <= 0) {
            throw new IllegalArgumentException("targetBytesPerRange must be positive");
        }
        int wanted = (int) Math.min(MAX_RANGES, (table.sizeBytes() + targetBytesPerRange - 1) / targetBytesPerRange);
        return split(conn, table, wanted);
    }

    /** {@code parts} ranges of the table (fewer when it has fewer pages or keys), or one whole-table range. */
    static List<CopyRange> split(Connection conn, TableInfo table, int parts) throws SQLException {
        if (parts <= 1) {
            return List.of(CopyRange.WHOLE);
        }
        if (conn.getMetaData().getDatabaseMajorVersion() >= 14) {
            return byPages(conn, table, parts);
        }
        if (hasIntegerKey(conn, table)) {
            return byPrimaryKey(conn, table, table.primaryKey().get(0), parts);
        }
        return List.of(CopyRange.WHOLE);
    }

    /** Whether {@link #split} can cut the table at all on this server. */
    static boolean splittable(Connection conn, TableInfo table) throws SQLException {
        return conn.getMetaData().getDatabaseMajorVersion() >= 14 || hasIntegerKey(conn, table);
    }

    private static boolean hasIntegerKey(Connection conn, TableInfo table) throws SQLException {
        return table.primaryKey().size() == 1 && isIntegerColumn(conn, table, table.primaryKey().get(0));
    }

    private static List<CopyRange> byPrimaryKey(Connection conn, TableInfo table, String column, int wanted) throws SQLException {
        String quoted = SqlIdentifiers.quote(column);
        long min;
        long max;
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(" + quoted + ")::bigint, max(" + quoted + ")::bigint FROM ONLY "
                     + table.qualifiedName())) {
            rs.next();
            min = rs.getLong(1);
            if (rs.wasNull()) {
                return List.of(CopyRange.WHOLE); // empty now; the copy reads its snapshot anyway
            }
            max = rs.getLong(2);
        }
        List<Long> bounds = split(BigInteger.valueOf(min), BigInteger.valueOf(max).add(BigInteger.ONE), wanted);
        List<CopyRange> ranges = new ArrayList<>();
        Long lo = null;
        for (Long bound : bounds) {
            ranges.add(new CopyRange(CopyRange.Kind.PRIMARY_KEY, column, lo, bound));
            lo = bound;
        }
        ranges.add(new CopyRange(CopyRange.Kind.PRIMARY_KEY, column, lo, null));
        return ranges;
    }

    private static List<CopyRange> byPages(Connection conn, TableInfo table, int wanted) throws SQLException {
        long pages;
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT pg_relation_size(?::regclass) / current_setting('block_size')::bigint")) {
            ps.setString(1, table.qualifiedName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pages = rs.getLong(1);
            }
        }
        List<Long> bounds = split(BigInteger.ZERO, BigInteger.valueOf(pages), wanted);
        if (bounds.isEmpty()) {
            return List.of(CopyRange.WHOLE);
        }
        List<CopyRange> ranges = new ArrayList<>();
        long lo = 0;
        for (Long bound : bounds) {
            ranges.add(new CopyRange(CopyRange.Kind.CTID, null, lo, bound));
            lo = bound;
        }
        ranges.add(new CopyRange(CopyRange.Kind.CTID, null, lo, null)); // the table may have grown since
        return ranges;
    }

    /** The n-1 inner bounds that cut [from, to) into n even parts (fewer when the span is smaller than n). */
    static List<Long> split(BigInteger from, BigInteger to, int n) {
        BigInteger span = to.subtract(from);
        List<Long> bounds = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            long bound = from.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))).longValueExact();
            if (bound > from.longValue() && (bounds.isEmpty() || bound > bounds.get(bounds.size() - 1))) {
                bounds.add(bound);
            }
        }
        return bounds;
    }

    private static boolean isIntegerColumn(Connection conn, TableInfo table, String column) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT atttypid::int FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, table.qualifiedName());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                int type = rs.getInt(1);
                return type == INT2 || type == INT4 || type == INT8;
            }
        }
    }
}
