package dms.dump.catalog;

import dms.common.pg.internal.InternalSchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lists the tables of a source database whose rows a full dump copies: ordinary tables and
 * leaf partitions. Partitioned parents hold no rows (their leaves do); system schemas, the
 * migration's own ({@code dms_internal}: a source's marker tables, docs/cdc.md#markers) and tables
 * created by an extension are left out (CREATE EXTENSION recreates those).
 */
public final class TableCatalog {

    private TableCatalog() {}

    /** Biggest first, so the longest copies start first and the dump ends sooner. */
    public static List<TableInfo> list(Connection conn) throws SQLException {
        List<TableInfo> tables = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(query(serverVersion(conn)))) {
            while (rs.next()) {
                List<String> pk = strings(rs.getArray("pk"));
                ReplicaIdentity identity = ReplicaIdentity.fromCode(rs.getString("relreplident").charAt(0));
                boolean hasIdentity = switch (identity) {
                    case DEFAULT -> !pk.isEmpty();
                    case FULL -> true;
                    case INDEX -> rs.getBoolean("has_identity_index");
                    case NOTHING -> false;
                };
                tables.add(new TableInfo(
                        rs.getString("nspname"),
                        rs.getString("relname"),
                        strings(rs.getArray("cols")),
                        pk,
                        identity,
                        hasIdentity,
                        Math.max(0, rs.getLong("reltuples")),
                        rs.getLong("size_bytes"),
                        // Each index's build scans the table once and writes the index.
                        rs.getLong("size_bytes") * rs.getLong("index_count") + rs.getLong("index_bytes"),
                        "u".equals(rs.getString("relpersistence"))));
            }
        }
        return tables;
    }

    static int serverVersion(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String query(int serverVersion) {
        // attgenerated exists from PostgreSQL 12; sources go back to 10.
        String notGenerated = serverVersion >= 120000 ? " AND a.attgenerated = ''" : "";
        return """
                SELECT n.nspname, c.relname, c.relreplident, c.relpersistence,
                       c.reltuples::bigint AS reltuples,
                       coalesce(pg_table_size(c.oid), 0) AS size_bytes,
                       ix.index_count, ix.index_bytes,
                       ARRAY(SELECT a.attname FROM pg_attribute a
                             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped%s
                             ORDER BY a.attnum) AS cols,
                       ARRAY(SELECT a.attname
                             FROM pg_index i
                             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                             WHERE i.indrelid = c.oid AND i.indisprimary
                             ORDER BY k.ord) AS pk,
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) AS has_identity_index
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN LATERAL (SELECT count(*) AS index_count, coalesce(sum(pg_relation_size(i.indexrelid)), 0) AS index_bytes
                                    FROM pg_index i WHERE i.indrelid = c.oid) ix
                WHERE c.relkind = 'r'
                  AND c.relpersistence IN ('p', 'u')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema', '%s')
                  AND n.nspname NOT LIKE 'pg\\_toast%%'
                  AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
                ORDER BY size_bytes DESC, n.nspname, c.relname
                """.formatted(notGenerated, InternalSchema.SCHEMA);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
