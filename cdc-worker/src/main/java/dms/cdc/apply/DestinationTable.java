package dms.cdc.apply;

import java.util.List;
import java.util.Map;

/**
 * A table on the destination as the apply needs it.
 *
 * @param columns every stored (not generated) column, in order, with its type as
 *     {@code format_type} writes it (the cast target of its values)
 * @param typeNames the {@code pg_type.typname} of each column (for drift checks)
 * @param keyColumns the primary key, else the replica identity index; empty: rows are matched
 *     by their whole old value (REPLICA IDENTITY FULL)
 * @param generatedColumns generated columns (the source does not send them)
 * @param otherUnique a unique index other than the key's may reject a row (or the table is partitioned, whose
 *     partitions may have their own): a statement that applies many rows meets it row by row, in its own order
 */
public record DestinationTable(TableRef ref, Map<String, String> columns, Map<String, String> typeNames,
                               List<String> keyColumns, List<String> generatedColumns, boolean otherUnique) {

    public boolean hasKey() {
        return !keyColumns.isEmpty();
    }

    public String type(String column) {
        return columns.get(column);
    }
}
