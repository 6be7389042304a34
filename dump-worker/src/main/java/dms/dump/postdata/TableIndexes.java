package dms.dump.postdata;

import dms.dump.schema.ArchiveToc;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which post-data entries of the schema archive belong to one table (its indexes and primary key,
 * unique and exclusion constraints: what can be built as soon as the table is loaded), and which
 * of them the destination has already. Found through the source's catalog by the OIDs the archive
 * lists, so names with spaces or quotes are no problem.
 */
final class TableIndexes {

    /**
     * The table's own indexes and key constraints, by (catalog, oid), with the size of the index on the
     * source (what its build sorts: the biggest are started first); not a partition's (their parent's
     * post-data attaches them).
     */
    private static final String OF_TABLE = """
            SELECT 1259, i.indexrelid::bigint, pg_relation_size(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ? AND t.relname = ? AND NOT t.relispartition
            UNION ALL
            SELECT 2606, c.oid::bigint, pg_relation_size(c.conindid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ? AND t.relname = ? AND NOT t.relispartition AND c.contype IN ('p', 'u', 'x')
            """;
    /** Index and key-constraint names (schema, table or index, constraint) on the source by OID, on the destination all of them. */
    private static final String SOURCE_NAMES = """
            SELECT 1259, c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid = ANY (?)
            UNION ALL
            SELECT 2606, c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(t.relname) || '.' || quote_ident(c.conname) FROM pg_constraint c
              JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE c.oid = ANY (?)
            """;
    private static final String DESTINATION_NAMES = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('i', 'I')
            UNION ALL
            SELECT quote_ident(n.nspname) || '.' || quote_ident(t.relname) || '.' || quote_ident(c.conname) FROM pg_constraint c
              JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype IN ('p', 'u', 'x')
            """;

    private TableIndexes() {}

    /** The source's {@code catalog/oid} of {@code schema.table}'s indexes and key constraints, with their index's bytes. */
    static Map<String, Long> objectsOf(Connection source, String schema, String table) throws SQLException {
        Map<String, Long> objects = new HashMap<>();
        try (PreparedStatement ps = source.prepareStatement(OF_TABLE)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, schema);
            ps.setString(4, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    objects.put(rs.getLong(1) + "/" + rs.getLong(2), rs.getLong(3));
                }
            }
        }
        return objects;
    }

    /** The archive's entries that build those objects, each with its index's bytes on the source. */
    static List<IndexJob> entries(ArchiveToc toc, Map<String, Long> objects) {
        return toc.entries().stream().filter(e -> e.isIndex() || e.isKeyConstraint())
                .filter(e -> objects.containsKey(key(e))).map(e -> new IndexJob(e, objects.get(key(e)))).toList();
    }

    private static String key(ArchiveToc.Entry e) {
        return e.catalog() + "/" + e.oid();
    }

    /**
     * The dump ids of the archive's indexes and key constraints that the destination already has
     * (built when their table's copy completed), matched by their schema, table and name.
     */
    static Set<Integer> built(Connection source, Connection destination, ArchiveToc toc) throws SQLException {
        List<ArchiveToc.Entry> candidates = toc.entries().stream().filter(e -> e.isIndex() || e.isKeyConstraint()).toList();
        Set<Integer> built = new HashSet<>();
        if (candidates.isEmpty()) {
            return built;
        }
        Set<String> present = new HashSet<>();
        try (PreparedStatement ps = destination.prepareStatement(DESTINATION_NAMES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                present.add(rs.getString(1));
            }
        }
        Long[] indexes = candidates.stream().filter(ArchiveToc.Entry::isIndex).map(ArchiveToc.Entry::oid).toArray(Long[]::new);
        Long[] constraints = candidates.stream().filter(ArchiveToc.Entry::isKeyConstraint).map(ArchiveToc.Entry::oid).toArray(Long[]::new);
        Set<String> presentObjects = new HashSet<>();
        try (PreparedStatement ps = source.prepareStatement(SOURCE_NAMES)) {
            Array a = source.createArrayOf("int8", indexes);
            Array b = source.createArrayOf("int8", constraints);
            ps.setArray(1, a);
            ps.setArray(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (present.contains(rs.getString(3))) {
                        presentObjects.add(rs.getLong(1) + "/" + rs.getLong(2));
                    }
                }
            }
        }
        candidates.stream().filter(e -> presentObjects.contains(e.catalog() + "/" + e.oid())).forEach(e -> built.add(e.dumpId()));
        return built;
    }
}
