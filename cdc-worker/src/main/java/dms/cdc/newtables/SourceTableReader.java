package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a table's definition from the source's catalog ({@link SourceTable}). Runs in the caller's
 * transaction, after {@code SET LOCAL search_path = pg_catalog}: the definitions it takes from the
 * server's own functions then name every object with its schema. Sources from PostgreSQL 10:
 * generated columns (12), constraint parents (11) and trigger parents (13) are asked for only where they exist.
 */
final class SourceTableReader {

    private final Connection source;
    private final int version;

    SourceTableReader(Connection source) throws SQLException {
        this.source = source;
        try (Statement st = source.createStatement()) {
            st.execute("SET LOCAL search_path = pg_catalog");
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                this.version = rs.getInt(1);
            }
        }
    }

    SourceTable read(TableRef ref) throws SQLException {
        long oid;
        char replident;
        String bound = null;
        String key = null;
        TableRef parent = null;
        try (PreparedStatement ps = source.prepareStatement("SELECT c.oid, c.relreplident, c.relkind = 'p',"
                + " pg_get_expr(c.relpartbound, c.oid), pn.nspname, pc.relname"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_inherits h ON h.inhrelid = c.oid AND c.relispartition"
                + " LEFT JOIN pg_class pc ON pc.oid = h.inhparent LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            ps.setString(1, ref.schema());
            ps.setString(2, ref.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("table " + ref + " is no longer on the source");
                }
                oid = rs.getLong(1);
                replident = rs.getString(2).charAt(0);
                if (rs.getBoolean(3)) {
                    key = partitionKey(oid);
                }
                if (rs.getString(6) != null) {
                    parent = new TableRef(rs.getString(5), rs.getString(6));
                    bound = rs.getString(4);
                }
            }
        }
        return new SourceTable(ref, columns(oid), parent, bound, key, constraints(oid), indexes(oid), triggers(oid), replident,
                replident == 'i' ? identityIndex(oid) : null, sequences(oid));
    }

    private String partitionKey(long oid) throws SQLException {
        return strings("SELECT pg_get_partkeydef(?::oid)", oid).get(0);
    }

    private List<SourceTable.Column> columns(long oid) throws SQLException {
        String generated = version >= 120000 ? "a.attgenerated = 's'" : "false";
        return rows("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation"
                + " THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,"
                + " a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, " + generated
                + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", oid, rs -> {
                    String identity = rs.getString(6);
                    return new SourceTable.Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                            identity == null || identity.isEmpty() ? 0 : identity.charAt(0), rs.getBoolean(7));
                });
    }

    /** Its own: a partition's inherited ones (a parent's key, its checks) come with PARTITION OF. */
    private List<SourceTable.Constraint> constraints(long oid) throws SQLException {
        String own = version >= 110000 ? " AND c.conparentid = 0" : "";
        return rows("SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c"
                + " WHERE c.conrelid = ?::oid AND c.contype IN ('p', 'u', 'x', 'c', 'f') AND c.coninhcount = 0" + own
                + " ORDER BY position(c.contype IN 'puxcf'), c.conname", oid,
                rs -> new SourceTable.Constraint(rs.getString(1), rs.getString(2).charAt(0), rs.getString(3)));
    }

    /** Indexes that no constraint of the table makes and that are not a parent's index on this partition. */
    private List<String> indexes(long oid) throws SQLException {
        return strings("SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = ?::oid"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
                + " AND c.contype IN ('p', 'u', 'x'))"
                + " AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) ORDER BY i.indexrelid", oid);
    }

    private List<String> triggers(long oid) throws SQLException {
        String own = version >= 130000 ? " AND t.tgparentid = 0" : "";
        return strings("SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgrelid = ?::oid AND NOT t.tgisinternal" + own
                + " ORDER BY t.tgname", oid);
    }

    private String identityIndex(long oid) throws SQLException {
        List<String> names = strings("SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " WHERE i.indrelid = ?::oid AND i.indisreplident", oid);
        return names.isEmpty() ? null : names.get(0);
    }

    /** The sequences of its serial columns (deptype 'a'; an identity column's own is made with the column). */
    private List<SourceTable.OwnedSequence> sequences(long oid) throws SQLException {
        return rows("SELECT sn.nspname, s.relname, a.attname, format_type(q.seqtypid, NULL),"
                + " q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle"
                + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                + " JOIN pg_namespace sn ON sn.oid = s.relnamespace JOIN pg_sequence q ON q.seqrelid = s.oid"
                + " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ?::oid"
                + " AND d.deptype = 'a' ORDER BY s.relname", oid,
                rs -> new SourceTable.OwnedSequence(new TableRef(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getBoolean(10)));
    }

    private List<String> strings(String sql, long oid) throws SQLException {
        return rows(sql, oid, rs -> rs.getString(1));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The rows of a query about the relation {@code oid} (its one parameter). */
    private <T> List<T> rows(String sql, long oid, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        return out;
    }
}
