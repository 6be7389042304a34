package dms.cdc.apply;

import dms.common.pg.internal.AppliedPosition;
import dms.common.pg.internal.InternalSchema;
import dms.common.pg.internal.PositionStore;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies whole source transactions to the destination database, several in one destination
 * transaction, together with the new applied position (docs/data-path.md, rules 3-5); a big one
 * part by part ({@link #applyPart}) into one destination transaction committed at its END:
 * <ul>
 *   <li>a transaction whose commit LSN is at or before the stored position is skipped whole
 *       (it was applied before a restart);</li>
 *   <li>a change to a table whose sync LSN is at or after its transaction's commit LSN is skipped
 *       (the table was copied at a later snapshot);</li>
 *   <li>insert is an upsert of the row by key, update an update by key that inserts the row when it is
 *       missing, delete is delete-if-present, so a replay converges; an update or delete that finds no row
 *       is counted (unmatched: a divergence), with the position; unchanged TOAST columns are left out of
 *       the statement (left as they are);</li>
 *   <li>a table without a key (REPLICA IDENTITY FULL) has one row matched by its whole old value;</li>
 *   <li>a key change deletes the old key and upserts the new row;</li>
 *   <li>truncates of one transaction run as one TRUNCATE of their tables.</li>
 * </ul>
 * The session runs with {@code session_replication_role = replica} (no user triggers, no foreign key
 * checks), as PostgreSQL's own apply worker does: the source already enforced them.
 */
public final class TransactionApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionApplier.class);

    private final Connection destination;
    private final PositionStore positions;
    private final Map<TableRef, Lsn> syncLsns;
    private final DestinationCatalog catalog;
    private final SchemaDriftCheck driftCheck = new SchemaDriftCheck();
    private final StatementBatcher batcher;
    private final TableStatements statements = new TableStatements();
    private AppliedPosition position;
    /** Updates and deletes of the open destination transaction that found no row: committed with its position. */
    private long unmatched;
    private static final long NONE = -1;
    /** The source transaction whose parts are applied in the open destination transaction, or NONE. */
    private long openXid = NONE;
    private long openChanges;

    /**
     * @param destination a session on the destination database, owned by this applier from now on
     * @param syncLsns per-table sync LSNs (empty: every change is applied), read as they are now: a table copied during
     *     CDC joins it (written by the apply thread between destination transactions)
     */
    public TransactionApplier(Connection destination, PositionStore positions, Map<TableRef, Lsn> syncLsns) throws SQLException {
        this.destination = destination;
        this.positions = positions;
        this.syncLsns = syncLsns;
        destination.setAutoCommit(true);
        InternalSchema.create(destination);
        try (Statement st = destination.createStatement()) {
            // Types print schema-qualified (format_type) and no user object can capture a name.
            st.execute("SET search_path = pg_catalog");
            st.execute("SET session_replication_role = replica");
            st.execute("SET statement_timeout = 0");
            // A multi-row statement's first five executions get custom plans, which, knowing its arrays' length,
            // hash-joined them with a scan of the whole table (200 ms for 1,000 rows of a 100,000-row table, where the
            // generic plan's index lookups took 50 ms); every statement here finds rows by key, which the generic plan
            // does from the first execution. Destinations are 14 and newer (plan_cache_mode is 12's).
            st.execute("SET plan_cache_mode = force_generic_plan");
        }
        destination.setAutoCommit(false);
        this.catalog = new DestinationCatalog(destination);
        this.batcher = new StatementBatcher(destination);
        this.batcher.listener(this::countUnmatched);
        this.position = positions.read(destination);
        destination.commit();
    }

    /** The applied position (as stored on the destination). */
    public AppliedPosition position() {
        return position;
    }

    /** Whether parts of a source transaction are applied in a destination transaction still open (until its END). */
    public boolean inPartialTransaction() {
        return openXid != NONE;
    }

    /**
     * Applies the next part of a source transaction still streaming in, in the destination transaction that
     * stays open until {@link #apply} gets that transaction's END (docs/data-path.md, rule 4). Its changes are
     * flushed to the destination now, so they need no memory here any more. On failure the destination
     * transaction is rolled back (the parts before this one too) and the exception is thrown.
     */
    public void applyPart(TransactionPart part) throws SQLException {
        if (openXid != NONE && openXid != part.xid()) {
            throw new IllegalStateException("a part of transaction " + part.xid() + " while " + openXid + " is open");
        }
        try {
            openChanges += applyChanges(part.changes(), null).applied();
            batcher.flush();
            openXid = part.xid();
        } catch (SQLException | RuntimeException e) {
            rollBack(e);
            throw e;
        }
    }

    /**
     * Applies the transactions (in commit order) in one destination transaction and commits it.
     * If parts of the first one were applied before ({@link #applyPart}), this is its END: the rest of its
     * changes. On failure the destination transaction is rolled back (nothing of these transactions, nor
     * their position, is applied) and the exception is thrown.
     */
    public ApplyResult apply(List<SourceTransaction> transactions) throws SQLException {
        List<SourceTransaction> todo = new ArrayList<>(transactions.size());
        Lsn last = position.commitLsn();
        for (SourceTransaction tx : transactions) {
            if (tx.commitLsn().compareTo(last) <= 0) {
                continue; // applied before (a restart re-reads from the slot's confirmed position)
            }
            todo.add(tx);
            last = tx.commitLsn();
        }
        if (openXid != NONE && (todo.isEmpty() || todo.get(0).xid() != openXid)) {
            IllegalStateException e = new IllegalStateException("transaction " + openXid + " was applied in part and its END is not"
                    + " next: " + (todo.isEmpty() ? "nothing to apply" : "transaction " + todo.get(0).xid()));
            rollBack(e);
            throw e;
        }
        int skippedTransactions = transactions.size() - todo.size();
        if (todo.isEmpty()) {
            return new ApplyResult(position, 0, skippedTransactions, 0, 0, 0);
        }
        long applied = openChanges;
        long skipped = 0;
        try {
            for (SourceTransaction tx : todo) {
                Counts counts = applyChanges(tx.changes(), tx.commitLsn());
                applied += counts.applied();
                skipped += counts.skipped();
            }
            batcher.flush();
            SourceTransaction lastTx = todo.get(todo.size() - 1);
            long notFound = unmatched;
            AppliedPosition next = positions.write(destination, lastTx.commitLsn(), lastTx.commitTime(), todo.size(), applied, notFound);
            destination.commit();
            openXid = NONE;
            openChanges = 0;
            unmatched = 0;
            position = next;
            return new ApplyResult(position, todo.size(), skippedTransactions, applied, skipped, notFound);
        } catch (SQLException | RuntimeException e) {
            rollBack(e);
            throw e;
        }
    }

    private record Counts(long applied, long skipped) {}

    /**
     * Queues the changes of one transaction, or of one part of it ({@code commitLsn} null: every change is
     * applied, the part holds only changes that are applied whatever the commit LSN).
     */
    private Counts applyChanges(List<RowChange> changes, Lsn commitLsn) throws SQLException {
        long applied = 0;
        long skipped = 0;
        List<DestinationTable> truncates = new ArrayList<>();
        for (RowChange change : changes) {
            Lsn sync = syncLsns.get(change.table());
            if (commitLsn != null && sync != null && commitLsn.compareTo(sync) <= 0) {
                skipped++;
                continue;
            }
            DestinationTable table = catalog.table(change.table());
            driftCheck.check(change, table);
            if (change.op() == RowChange.Op.TRUNCATE) {
                truncates.add(table);
            } else {
                truncateNow(truncates);
                applyRow(change, table);
            }
            applied++;
        }
        truncateNow(truncates);
        return new Counts(applied, skipped);
    }

    /** Rolls the destination transaction back (open parts too) and forgets what was half built. */
    private void rollBack(Exception e) {
        batcher.reset();
        catalog.clear();
        statements.clear();
        openXid = NONE;
        openChanges = 0;
        unmatched = 0;
        try {
            destination.rollback();
        } catch (SQLException rollbackFailure) {
            e.addSuppressed(rollbackFailure);
        }
    }

    private void truncateNow(List<DestinationTable> tables) throws SQLException {
        if (!tables.isEmpty()) {
            batcher.barrier(ChangeSql.truncate(tables.stream().distinct().toList()));
            tables.clear();
        }
    }

    private void applyRow(RowChange change, DestinationTable table) throws SQLException {
        switch (change.op()) {
            case INSERT -> upsertOrInsert(change, table);
            case UPDATE -> {
                if (table.hasKey()) {
                    if (change.before() != null && keyChanged(change, table)) {
                        deleteByKey(change.before(), table);
                        upsertOrInsert(change, table);
                    } else {
                        updateOrInsert(change, table);
                    }
                } else {
                    List<String> match = oldRowColumns(change);
                    List<String> set = newRowColumns(change);
                    List<String> params = new ArrayList<>(values(change.after(), set));
                    params.addAll(values(change.before(), match));
                    batcher.add(table.ref(), statements.updateByOldRow(table, set, match), params);
                }
            }
            case DELETE -> {
                if (table.hasKey()) {
                    deleteByKey(requireBefore(change), table);
                } else {
                    List<String> match = oldRowColumns(change);
                    batcher.add(table.ref(), statements.deleteByOldRow(table, match), values(change.before(), match));
                }
            }
            case TRUNCATE -> throw new IllegalStateException("truncates are grouped");
        }
    }

    private void upsertOrInsert(RowChange change, DestinationTable table) throws SQLException {
        List<String> columns = newRowColumns(change);
        // every column: the row's values in its columns' order (RowChange), without a lookup per value
        List<String> values = columns == change.columns() ? new ArrayList<>(change.after().values()) : values(change.after(), columns);
        if (columns.isEmpty()) {
            batcher.add(table.ref(), statements.upsertOrInsert(table, columns), values);
        } else {
            TableStatements.InsertTexts texts = statements.insert(table, columns);
            batcher.addInsert(table.ref(), texts.statement(), texts.copy(), values);
        }
    }

    /** An update of a row by its (unchanged) key: a row not there is inserted, and counted as unmatched. */
    private void updateOrInsert(RowChange change, DestinationTable table) throws SQLException {
        List<String> columns = newRowColumns(change);
        TableStatements.ChangeTexts texts = statements.update(table, columns);
        List<String> row = columns == change.columns() ? new ArrayList<>(change.after().values()) : values(change.after(), columns);
        List<String> params = new ArrayList<>(2 * row.size() + table.keyColumns().size());
        for (int i = 0; i < columns.size(); i++) {
            if (!table.keyColumns().contains(columns.get(i))) {
                params.add(row.get(i));
            }
        }
        params.addAll(values(change.after(), table.keyColumns()));
        params.addAll(row);
        batcher.addKeyed(table.ref(), texts.statement(), params, texts.run(), row);
    }

    private void deleteByKey(Map<String, String> before, DestinationTable table) throws SQLException {
        TableStatements.ChangeTexts texts = statements.delete(table);
        List<String> key = values(before, table.keyColumns());
        batcher.addKeyed(table.ref(), texts.statement(), key, texts.run(), key);
    }

    /** The new row's columns that carry a value (unchanged TOAST ones are left alone). */
    private static List<String> newRowColumns(RowChange change) {
        if (change.after() == null) {
            throw new IllegalStateException(change.op() + " on " + change.table() + " without a new row");
        }
        if (change.unchangedToast().isEmpty() && change.after().size() == change.columns().size()) {
            return change.columns(); // every column (the common case): no filtering per row
        }
        return change.columns().stream().filter(c -> !change.unchangedToast().contains(c) && change.after().containsKey(c)).toList();
    }

    private static List<String> oldRowColumns(RowChange change) {
        if (change.before() == null) {
            throw new IllegalStateException(change.op() + " on " + change.table()
                    + ": the table has no key on the destination and the source sent no old row (REPLICA IDENTITY FULL is needed)");
        }
        return change.columns().stream().filter(c -> change.before().containsKey(c)).toList();
    }

    private static Map<String, String> requireBefore(RowChange change) {
        if (change.before() == null) {
            throw new IllegalStateException(change.op() + " on " + change.table() + " without the old key");
        }
        return change.before();
    }

    private static boolean keyChanged(RowChange change, DestinationTable table) {
        for (String k : table.keyColumns()) {
            if (change.before().get(k) != null && !Objects.equals(change.before().get(k), change.after().get(k))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> values(Map<String, String> row, List<String> columns) {
        List<String> values = new ArrayList<>(columns.size());
        for (String c : columns) {
            values.add(row.get(c));
        }
        return values;
    }

    private void countUnmatched(String sql, long missing) {
        unmatched += missing;
        LOG.warn("{} row(s) to change were not found on the destination: {}", missing, sql);
    }

    @Override
    public void close() {
        batcher.close();
        try {
            destination.close();
        } catch (SQLException e) {
            // closing a lost session
        }
    }
}
