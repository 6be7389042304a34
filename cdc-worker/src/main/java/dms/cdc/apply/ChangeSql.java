package dms.cdc.apply;

import dms.common.sql.SqlIdentifiers;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL text of each kind of change, every identifier quoted and every value a parameter
 * cast from its text form to the destination column's type ({@code CAST(? AS type)}): PostgreSQL
 * parses the value exactly as it printed it on the source.
 */
final class ChangeSql {

    private ChangeSql() {}

    /** INSERT ... ON CONFLICT (key) DO UPDATE SET the other given columns: the row ends as given, present or not. */
    static String upsert(DestinationTable table, List<String> columns) {
        String keyList = quotedList(table.keyColumns());
        List<String> set = columns.stream().filter(c -> !table.keyColumns().contains(c)).toList();
        String conflict = set.isEmpty() ? " DO NOTHING"
                : " DO UPDATE SET " + set.stream().map(c -> SqlIdentifiers.quote(c) + " = EXCLUDED." + SqlIdentifiers.quote(c))
                        .collect(Collectors.joining(", "));
        return insert(table, columns) + " ON CONFLICT (" + keyList + ")" + conflict;
    }

    /**
     * The UPDATE of a row by key, inserting it as given when the destination has no such row (so that a
     * divergence converges as the upsert does). Its update count is the INSERT's: 1 tells that the row to
     * update was missing ({@link #unmatched}). Parameters: {@code columns} but the key, the key, then
     * every one of {@code columns}.
     */
    static String updateOrInsert(DestinationTable table, List<String> columns) {
        List<String> set = columns.stream().filter(c -> !table.keyColumns().contains(c)).toList();
        String found = set.isEmpty() ? "SELECT 1 FROM " + table.ref().quoted() + " WHERE " + keyMatch(table, "")
                : "UPDATE " + table.ref().quoted() + " SET " + set.stream().map(c -> SqlIdentifiers.quote(c) + " = " + cast(table, c))
                        .collect(Collectors.joining(", ")) + " WHERE " + keyMatch(table, "") + " RETURNING 1";
        return "WITH found AS (" + found + ") INSERT INTO " + table.ref().quoted() + " (" + quotedList(columns) + ") SELECT "
                + columns.stream().map(c -> cast(table, c)).collect(Collectors.joining(", "))
                + " WHERE NOT EXISTS (SELECT 1 FROM found)";
    }

    /**
     * How many of a batch's statements found no row to change, by their update counts: an UPDATE or
     * DELETE that changed none, an {@link #updateOrInsert} that inserted. Inserts and upserts never miss.
     */
    static int unmatched(String sql, int[] counts) {
        int missed = sql.startsWith("WITH found AS (") ? 1 : sql.startsWith("UPDATE ") || sql.startsWith("DELETE ") ? 0 : -1;
        int n = 0;
        for (int c : counts) {
            if (c == missed) {
                n++;
            }
        }
        return n;
    }

    static String insert(DestinationTable table, List<String> columns) {
        return "INSERT INTO " + table.ref().quoted() + " (" + quotedList(columns) + ") VALUES ("
                + columns.stream().map(c -> cast(table, c)).collect(Collectors.joining(", ")) + ")";
    }

    /** COPY of rows of these columns in the text format ({@link CopyText}): each value read by its column type's input function. */
    static String copy(DestinationTable table, List<String> columns) {
        return "COPY " + table.ref().quoted() + " (" + quotedList(columns) + ") FROM STDIN";
    }

    /**
     * {@link #updateOrInsert} of many rows: the values of {@code columns} as one text array each (parameters in
     * {@code columns}' order), unnested and cast; rows with no match by key are inserted, the update count is theirs.
     * The table must have columns other than its key among {@code columns}.
     */
    static MultiRowStatement updateRun(DestinationTable table, List<String> columns) {
        List<String> set = columns.stream().filter(c -> !table.keyColumns().contains(c)).toList();
        String t = table.ref().quoted();
        String sql = "WITH v AS (" + unnest(columns) + "), found AS (UPDATE " + t + " t SET "
                + set.stream().map(c -> SqlIdentifiers.quote(c) + " = " + castOf(table, "v", c)).collect(Collectors.joining(", "))
                + " FROM v WHERE " + keyJoin(table, "t") + " RETURNING " + table.keyColumns().stream().map(c -> "t." + SqlIdentifiers.quote(c))
                        .collect(Collectors.joining(", "))
                + ") INSERT INTO " + t + " (" + quotedList(columns) + ") SELECT "
                + columns.stream().map(c -> castOf(table, "v", c)).collect(Collectors.joining(", "))
                + " FROM v WHERE NOT EXISTS (SELECT 1 FROM found WHERE " + keyJoin(table, "found") + ")";
        return new MultiRowStatement(MultiRowStatement.Kind.UPDATE_OR_INSERT, sql, columns.size(), positions(columns, table.keyColumns()),
                table.otherUnique());
    }

    /** {@link #deleteByKey} of many rows: each key column's values as one text array (parameters in key order). */
    static MultiRowStatement deleteRun(DestinationTable table) {
        List<String> key = table.keyColumns();
        String sql = "DELETE FROM " + table.ref().quoted() + " t USING (" + unnest(key) + ") v WHERE " + keyJoin(table, "t");
        return new MultiRowStatement(MultiRowStatement.Kind.DELETE, sql, key.size(), positions(key, key), false);
    }

    /** Rows of text columns named as {@code columns}, from one text array parameter each. */
    private static String unnest(List<String> columns) {
        return "SELECT * FROM unnest(" + columns.stream().map(c -> "CAST(? AS text[])").collect(Collectors.joining(", "))
                + ") AS v(" + quotedList(columns) + ")";
    }

    /** The key of {@code alias}'s rows equal to the key of v's (text cast to the column's type). */
    private static String keyJoin(DestinationTable table, String alias) {
        return table.keyColumns().stream().map(c -> alias + "." + SqlIdentifiers.quote(c) + " = " + castOf(table, "v", c))
                .collect(Collectors.joining(" AND "));
    }

    private static String castOf(DestinationTable table, String alias, String column) {
        return "CAST(" + alias + "." + SqlIdentifiers.quote(column) + " AS " + table.type(column) + ")";
    }

    private static int[] positions(List<String> columns, List<String> of) {
        return of.stream().mapToInt(columns::indexOf).toArray();
    }

    /** Delete-if-present by key. */
    static String deleteByKey(DestinationTable table) {
        return "DELETE FROM " + table.ref().quoted() + " WHERE " + keyMatch(table, "");
    }

    /** UPDATE of one row matched by its whole old value (a table without key, REPLICA IDENTITY FULL). */
    static String updateByOldRow(DestinationTable table, List<String> setColumns, List<String> matchColumns) {
        return "UPDATE " + table.ref().quoted() + " SET " + setColumns.stream().map(c -> SqlIdentifiers.quote(c) + " = " + cast(table, c))
                .collect(Collectors.joining(", ")) + " WHERE ctid = (" + oneRowByOldValue(table, matchColumns) + ")";
    }

    static String deleteByOldRow(DestinationTable table, List<String> matchColumns) {
        return "DELETE FROM " + table.ref().quoted() + " WHERE ctid = (" + oneRowByOldValue(table, matchColumns) + ")";
    }

    static String truncate(List<DestinationTable> tables) {
        return "TRUNCATE ONLY " + tables.stream().map(t -> t.ref().quoted()).collect(Collectors.joining(", "));
    }

    /**
     * The ctid of one row equal to the old value. Compared as text (NULL-safe): every type has a
     * text form, not every type an equality operator (json, point, xml).
     */
    private static String oneRowByOldValue(DestinationTable table, List<String> matchColumns) {
        return "SELECT ctid FROM " + table.ref().quoted() + " t WHERE " + matchColumns.stream()
                .map(c -> "t." + SqlIdentifiers.quote(c) + "::text IS NOT DISTINCT FROM " + cast(table, c) + "::text")
                .collect(Collectors.joining(" AND ")) + " LIMIT 1";
    }

    private static String keyMatch(DestinationTable table, String alias) {
        return table.keyColumns().stream().map(c -> alias + SqlIdentifiers.quote(c) + " = " + cast(table, c))
                .collect(Collectors.joining(" AND "));
    }

    private static String cast(DestinationTable table, String column) {
        // format_type output is SQL (quoted where needed, schema-qualified when not on the search path).
        return "CAST(? AS " + table.type(column) + ")";
    }

    private static String quotedList(List<String> columns) {
        return columns.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }
}
