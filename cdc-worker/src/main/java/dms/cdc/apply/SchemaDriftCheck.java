package dms.cdc.apply;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares the row a change carries (the source's current definition of the table, as the
 * stream's RELATION message gave it) with the destination's table: the same stored columns, of
 * the same types. Any difference means DDL on the source during CDC ({@link SchemaDriftException}).
 * Each source definition is checked once.
 */
public final class SchemaDriftCheck {

    private final Set<Object> checked = Collections.newSetFromMap(new IdentityHashMap<>());

    public void check(RowChange change, DestinationTable table) {
        if (change.op() == RowChange.Op.TRUNCATE || change.schemaIdentity() != null && checked.contains(change.schemaIdentity())) {
            return;
        }
        for (String column : change.columns()) {
            if (!table.columns().containsKey(column)) {
                throw new SchemaDriftException(change.table(), table.generatedColumns().contains(column)
                        ? "column \"" + column + "\" is generated on the destination but not on the source"
                        : "column \"" + column + "\" exists on the source but not on the destination");
            }
        }
        for (String column : table.columns().keySet()) {
            if (!change.columns().contains(column)) {
                throw new SchemaDriftException(change.table(), "column \"" + column + "\" of the destination is no longer on the source");
            }
        }
        for (Map.Entry<String, String> source : change.sourceTypes().entrySet()) {
            String destinationType = table.typeNames().get(source.getKey());
            if (source.getValue() != null && destinationType != null && !sameType(source.getValue(), destinationType)) {
                throw new SchemaDriftException(change.table(), "column \"" + source.getKey() + "\" is of type " + source.getValue()
                        .toLowerCase(Locale.ROOT) + " on the source but " + destinationType + " on the destination");
            }
        }
        if (change.schemaIdentity() != null) {
            checked.add(change.schemaIdentity());
        }
    }

    /**
     * Serial columns as Debezium 3.7 names them (from the column's sequence default): the type is the integer
     * underneath, as pg_type names it on the destination.
     */
    private static final Map<String, String> SERIALS = Map.of("smallserial", "int2", "serial2", "int2", "serial", "int4",
            "serial4", "int4", "bigserial", "int8", "serial8", "int8");

    /** Debezium names types by pg_type.typname, upper-cased; arrays as {@code _elem}; serial columns by their serial name. */
    static boolean sameType(String sourceType, String destinationTypname) {
        String s = sourceType.toLowerCase(Locale.ROOT);
        s = SERIALS.getOrDefault(s, s);
        String d = destinationTypname.toLowerCase(Locale.ROOT);
        if (s.equals(d)) {
            return true;
        }
        // quoted / schema-qualified user types (enums, domains) as Debezium may print them
        s = s.replace("\"", "");
        int dot = s.lastIndexOf('.');
        return dot >= 0 && s.substring(dot + 1).equals(d);
    }
}
