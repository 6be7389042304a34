package dms.cdc.apply;

/**
 * One statement that applies a whole run of updates (or deletes) by key to one table: each column's values of the
 * run as one text array, unnested into rows and cast to the column's type ({@link ChangeSql#updateRun},
 * {@link ChangeSql#deleteRun}), where a batch costs the server a statement execution per row.
 *
 * @param width the values of one row (the arrays bound)
 * @param keyPositions where a row's key values are among its values: a run's rows are collapsed by them
 * @param guarded the run goes in a savepoint: the table has a unique constraint other than the key, which may reject
 *     a row that the same changes applied one by one, in their order, would not ({@link MultiRowApplier}); without
 *     one, the savepoint would only cost two round trips and a subtransaction per run
 */
record MultiRowStatement(Kind kind, String sql, int width, int[] keyPositions, boolean guarded) {

    enum Kind {
        /** Update count: the rows inserted because no row had the key (unmatched). */
        UPDATE_OR_INSERT,
        /** Update count: the rows deleted. */
        DELETE
    }
}
