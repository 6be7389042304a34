package dms.cdc.apply;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One change of one row (or a truncate) as read from the stream, its values already in
 * PostgreSQL's text input form (null = SQL NULL).
 *
 * @param columns the columns of the source row, in the source's order (empty for a truncate)
 * @param sourceTypes the source type name of each column, when the stream told it (for drift checks)
 * @param before the old row: the key columns (REPLICA IDENTITY DEFAULT / index) or the whole row (FULL);
 *     null when the stream gave none (an insert, or an update that kept the key)
 * @param after the new row; null for a delete or a truncate. Both rows iterate in {@code columns}' order (the
 *     columns they lack left out)
 * @param unchangedToast columns of {@code after} whose value did not change and was not sent
 *     (unchanged TOAST): they must be left as they are on the destination
 * @param schemaIdentity an object that stays the same as long as the source table's definition
 *     is unchanged (Debezium's value schema), so the drift check runs once per definition
 */
public record RowChange(TableRef table, Op op, List<String> columns, Map<String, String> sourceTypes,
                        Map<String, String> before, Map<String, String> after, Set<String> unchangedToast,
                        Object schemaIdentity) {

    public enum Op { INSERT, UPDATE, DELETE, TRUNCATE }

    /** Per change and per value: object headers, map entries, references (a rough figure for bounding queues). */
    private static final int CHANGE_OVERHEAD_BYTES = 200;
    private static final int VALUE_OVERHEAD_BYTES = 64;

    /** Roughly the memory this change holds, its values' text included: for bounding queues, not exact. */
    public long approximateBytes() {
        return CHANGE_OVERHEAD_BYTES + valueBytes(before) + valueBytes(after);
    }

    private static long valueBytes(Map<String, String> row) {
        if (row == null) {
            return 0;
        }
        long bytes = 0;
        for (String value : row.values()) {
            bytes += VALUE_OVERHEAD_BYTES + (value == null ? 0 : value.length());
        }
        return bytes;
    }
}
