package dms.cdc.apply;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The SQL text of each change statement, built once per destination table and column set and then
 * reused: building it for every row cost about 40% of the apply thread's CPU. Keyed by the
 * {@link DestinationTable} instance, so a table read again from the catalog gets fresh texts.
 */
final class TableStatements {

    private enum Kind { UPSERT_OR_INSERT, COPY, UPDATE_OR_INSERT, DELETE_BY_KEY, UPDATE_BY_OLD_ROW, DELETE_BY_OLD_ROW }

    /**
     * Texts kept per table at most. Column sets vary only with which unchanged TOAST values a change leaves
     * out, so a handful is the rule; past this bound (a wide table, random subsets) they are built again.
     */
    private static final int MAX_PER_TABLE = 512;

    private record Key(Kind kind, List<String> columns, List<String> matchColumns) {}

    private final Map<DestinationTable, Map<Key, String>> texts = new IdentityHashMap<>();
    private final Map<DestinationTable, Map<List<String>, InsertTexts>> inserts = new IdentityHashMap<>();
    private final Map<DestinationTable, Map<List<String>, ChangeTexts>> updates = new IdentityHashMap<>();
    private final Map<DestinationTable, ChangeTexts> deletes = new IdentityHashMap<>();

    /** The two ways to apply an update (or a delete) by key: one statement per row, or a run of them as one. */
    record ChangeTexts(String statement, MultiRowStatement run) {}

    /**
     * {@link #updateOrInsert} of these columns and its multi-row form (null when the columns are all key columns),
     * looked up once per row.
     */
    ChangeTexts update(DestinationTable table, List<String> columns) {
        return ofColumns(updates, table, columns, () -> new ChangeTexts(updateOrInsert(table, columns),
                columns.stream().anyMatch(c -> !table.keyColumns().contains(c)) ? ChangeSql.updateRun(table, columns) : null));
    }

    /** {@link #deleteByKey} and its multi-row form. */
    ChangeTexts delete(DestinationTable table) {
        return deletes.computeIfAbsent(table, t -> new ChangeTexts(deleteByKey(t), ChangeSql.deleteRun(t)));
    }

    /** The two ways to insert a row of these columns: one statement (an upsert, or a plain insert), or a line of a COPY. */
    record InsertTexts(String statement, String copy) {}

    /** {@link #upsertOrInsert} and {@link #copy} of the same columns, looked up once per row. */
    InsertTexts insert(DestinationTable table, List<String> columns) {
        return ofColumns(inserts, table, columns, () -> new InsertTexts(upsertOrInsert(table, columns), copy(table, columns)));
    }

    /** What {@code cache} holds for the table and columns, made and kept if missing (a plain get on the hot path). */
    private static <T> T ofColumns(Map<DestinationTable, Map<List<String>, T>> cache, DestinationTable table, List<String> columns,
                                   Supplier<T> make) {
        Map<List<String>, T> ofTable = cache.computeIfAbsent(table, t -> new HashMap<>());
        T found = ofTable.get(columns);
        if (found == null) {
            if (ofTable.size() >= MAX_PER_TABLE) {
                ofTable.clear();
            }
            found = make.get();
            ofTable.put(columns, found);
        }
        return found;
    }

    /** An upsert by key, or a plain insert for a table without key. */
    String upsertOrInsert(DestinationTable table, List<String> columns) {
        return text(table, new Key(Kind.UPSERT_OR_INSERT, columns, List.of()));
    }

    /** The COPY that inserts rows of these columns (instead of a run of {@link #upsertOrInsert}). */
    String copy(DestinationTable table, List<String> columns) {
        return text(table, new Key(Kind.COPY, columns, List.of()));
    }

    /** The update by key of a row that should be there (the insert of it when it is not: counted as unmatched). */
    String updateOrInsert(DestinationTable table, List<String> columns) {
        return text(table, new Key(Kind.UPDATE_OR_INSERT, columns, List.of()));
    }

    String deleteByKey(DestinationTable table) {
        return text(table, new Key(Kind.DELETE_BY_KEY, List.of(), List.of()));
    }

    String updateByOldRow(DestinationTable table, List<String> setColumns, List<String> matchColumns) {
        return text(table, new Key(Kind.UPDATE_BY_OLD_ROW, setColumns, matchColumns));
    }

    String deleteByOldRow(DestinationTable table, List<String> matchColumns) {
        return text(table, new Key(Kind.DELETE_BY_OLD_ROW, List.of(), matchColumns));
    }

    void clear() {
        texts.clear();
        inserts.clear();
        updates.clear();
        deletes.clear();
    }

    private String text(DestinationTable table, Key key) {
        Map<Key, String> ofTable = texts.computeIfAbsent(table, t -> new HashMap<>());
        if (ofTable.size() >= MAX_PER_TABLE && !ofTable.containsKey(key)) {
            ofTable.clear();
        }
        return ofTable.computeIfAbsent(key, k -> switch (k.kind()) {
            case UPSERT_OR_INSERT -> table.hasKey() ? ChangeSql.upsert(table, k.columns()) : ChangeSql.insert(table, k.columns());
            case COPY -> ChangeSql.copy(table, k.columns());
            case UPDATE_OR_INSERT -> ChangeSql.updateOrInsert(table, k.columns());
            case DELETE_BY_KEY -> ChangeSql.deleteByKey(table);
            case UPDATE_BY_OLD_ROW -> ChangeSql.updateByOldRow(table, k.columns(), k.matchColumns());
            case DELETE_BY_OLD_ROW -> ChangeSql.deleteByOldRow(table, k.matchColumns());
        });
    }
}
