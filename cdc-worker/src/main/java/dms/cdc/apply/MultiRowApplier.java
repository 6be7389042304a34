package dms.cdc.apply;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a run of updates, or of deletes, of one table by key with one {@link MultiRowStatement} per
 * {@value #MAX_ROWS} rows. Repeated keys are collapsed first, the last change of a key kept: every change of a run
 * sets the same columns (one statement text per column set), so the last one is the row's end state, and one
 * statement may not update a row twice. The result is the rows' state after the run in its order: rows of a run
 * have different keys once collapsed, and the apply session has no triggers, so they commute, but for unique
 * constraints other than the key, which a statement checks row by row in its own order: on a table that has one, an
 * update run goes in a savepoint, and one that meets it (23505) is rolled back to it and the caller applies it change
 * by change.
 */
final class MultiRowApplier {

    private static final Logger LOG = LoggerFactory.getLogger(MultiRowApplier.class);
    private static final String UNIQUE_VIOLATION = "23505";
    /** Rows per statement: bounds the arrays' size in the server's memory. */
    static final int MAX_ROWS = 5000;

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    MultiRowApplier(Connection connection) {
        this.connection = connection;
    }

    /**
     * Applies the rows (each {@code statement.width()} values) in order.
     *
     * @return how many of the run's changes found no row (updates that inserted, deletes that deleted nothing), or
     *     -1 when the run was rolled back (a unique constraint): the caller applies it change by change
     */
    long apply(MultiRowStatement statement, List<List<String>> rows) throws SQLException {
        List<List<String>> last = lastByKey(rows, statement.keyPositions());
        boolean update = statement.kind() == MultiRowStatement.Kind.UPDATE_OR_INSERT;
        Savepoint savepoint = update && statement.guarded() ? connection.setSavepoint() : null;
        try {
            long affected = 0;
            for (int from = 0; from < last.size(); from += MAX_ROWS) {
                affected += execute(statement, last.subList(from, Math.min(last.size(), from + MAX_ROWS)));
            }
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
            // an update misses once per key (it inserts the row, the key's later changes find it); a delete once per change
            return update ? affected : rows.size() - affected;
        } catch (SQLException e) {
            if (savepoint == null || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            LOG.info("{} update(s) of {} as one statement met a unique constraint ({}): applied one by one", rows.size(),
                    statement.sql(), e.getMessage());
            return -1;
        }
    }

    private int execute(MultiRowStatement statement, List<List<String>> rows) throws SQLException {
        PreparedStatement ps = prepared.get(statement.sql());
        if (ps == null) {
            ps = connection.prepareStatement(statement.sql());
            prepared.put(statement.sql(), ps);
        }
        List<Array> arrays = new ArrayList<>(statement.width());
        for (int column = 0; column < statement.width(); column++) {
            String[] values = new String[rows.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = rows.get(r).get(column);
            }
            Array array = connection.createArrayOf("text", values);
            arrays.add(array);
            ps.setArray(column + 1, array);
        }
        try {
            return ps.executeUpdate();
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
    }

    /** The rows with one per key, the last of each, in the order of those last ones. */
    static List<List<String>> lastByKey(List<List<String>> rows, int[] keyPositions) {
        Map<Object, List<String>> byKey = new LinkedHashMap<>(rows.size() * 2);
        for (List<String> row : rows) {
            Object key = keyOf(row, keyPositions);
            byKey.remove(key); // so that the key's place is its last change's
            byKey.put(key, row);
        }
        return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
    }

    private static Object keyOf(List<String> row, int[] keyPositions) {
        if (keyPositions.length == 1) {
            return Arrays.asList(row.get(keyPositions[0])); // a list, so that a NULL key is a key too
        }
        List<String> key = new ArrayList<>(keyPositions.length);
        for (int position : keyPositions) {
            key.add(row.get(position));
        }
        return key;
    }

    /** After a failed apply, or when done: the session's statements are dropped with it. */
    void reset() {
        for (PreparedStatement ps : prepared.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // the connection is probably gone; nothing to keep
            }
        }
        prepared.clear();
    }
}
