package dms.cdc.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads (once per table, then cached) the destination's definition of the tables the stream touches. */
public final class DestinationCatalog {

    private final Connection destination;
    private final Map<TableRef, DestinationTable> tables = new HashMap<>();

    public DestinationCatalog(Connection destination) {
        this.destination = destination;
    }

    /** The destination's table, or a {@link SchemaDriftException} when it has none of that name. */
    public DestinationTable table(TableRef ref) throws SQLException {
        DestinationTable table = tables.get(ref);
        if (table == null) {
            table = load(ref);
            tables.put(ref, table);
        }
        return table;
    }

    /** Forgets what was read (after a rollback, or when the destination was changed by hand). */
    public void clear() {
        tables.clear();
    }

    private DestinationTable load(TableRef ref) throws SQLException {
        long oid;
        boolean partitioned;
        try (PreparedStatement ps = destination.prepareStatement("SELECT c.oid, c.relkind = 'p' FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            ps.setString(1, ref.schema());
            ps.setString(2, ref.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SchemaDriftException(ref, "the destination has no such table");
                }
                oid = rs.getLong(1);
                partitioned = rs.getBoolean(2);
            }
        }
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, String> typeNames = new HashMap<>();
        Map<Integer, String> byNumber = new HashMap<>();
        List<String> generated = new ArrayList<>();
        try (PreparedStatement ps = destination.prepareStatement("SELECT a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
                + " t.typname, a.attgenerated <> '' FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    byNumber.put(rs.getInt(1), name);
                    if (rs.getBoolean(5)) {
                        generated.add(name);
                    } else {
                        columns.put(name, rs.getString(3));
                        typeNames.put(name, rs.getString(4));
                    }
                }
            }
        }
        List<String> key = new ArrayList<>();
        long keyIndex = 0;
        // The primary key first, else the replica identity index (both unique: ON CONFLICT can use them).
        try (PreparedStatement ps = destination.prepareStatement("SELECT i.indkey::int2[], i.indexrelid FROM pg_index i WHERE i.indrelid = ?"
                + " AND (i.indisprimary OR i.indisreplident) AND i.indisvalid ORDER BY i.indisprimary DESC LIMIT 1")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    for (Short attnum : (Short[]) rs.getArray(1).getArray()) {
                        key.add(byNumber.get((int) attnum));
                    }
                    keyIndex = rs.getLong(2);
                }
            }
        }
        boolean otherUnique = partitioned;
        if (!partitioned) {
            try (PreparedStatement ps = destination.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = ?"
                    + " AND (i.indisunique OR i.indisexclusion) AND i.indexrelid <> ?)")) {
                ps.setLong(1, oid);
                ps.setLong(2, keyIndex);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    otherUnique = rs.getBoolean(1);
                }
            }
        }
        return new DestinationTable(ref, columns, typeNames, List.copyOf(key), List.copyOf(generated), otherUnique);
    }
}
