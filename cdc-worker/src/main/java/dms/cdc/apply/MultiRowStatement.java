package dms.cdc.apply;

/**
 * One statement that applies a whole run of updates (or deletes) by key to one table: each column's values of the
 * run as one text array, unnested into rows and cast to the column's type ({@link ChangeSql#updateRun},
 * {@link ChangeSql#deleteRun}), where a batch costs the server a statement execution per row.
 *
 * @param width the values of one row (the arrays bound)
 * @param keyPositions where a row's key values are among its values: a run's rows are collapsed by them
 */
record MultiRowStatement(Kind kind, String sql, int width, int[] keyPositions) {

    enum Kind {
        /** Update count: the rows inserted because no row had the key (unmatched). */
        UPDATE_OR_INSERT,
        /** Update count: the rows deleted. */
        DELETE
    }
}
