package dms.cdc.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the row statements of an apply as JDBC batches (pgjdbc pipelines a batch: one round trip for
 * many rows). Statements are queued per table and each table's queue runs in order, consecutive
 * runs of the same statement as one batch: changes to different tables commute here, because the
 * apply session has no triggers and no foreign key checks (session_replication_role = replica), so
 * only the order within a table matters. Whatever must see every earlier change (a truncate) is a
 * {@link #barrier}. Prepared statements are kept for reuse across transactions. Every parameter is
 * text of unspecified type, cast in the SQL. A run of at least {@value #MIN_COPY_ROWS} inserts into one table
 * ({@link #addInsert}) goes as one COPY instead ({@link CopyInserter}), and as its upserts if the COPY meets a row
 * already there; a run of at least as many updates, or deletes, by key of the same columns ({@link #addKeyed}) as a
 * multi-row statement ({@link MultiRowApplier}), and change by change if that meets a unique constraint.
 */
final class StatementBatcher implements AutoCloseable {

    private static final int MAX_BATCH = 1000;
    private static final int MAX_QUEUED = 20_000;

    /** Below this many rows a run of inserts is cheaper as a pipelined batch than as a savepoint and a COPY. */
    static final int MIN_COPY_ROWS = 8;

    /**
     * A queued statement; {@code copySql} the COPY that may insert its row instead, or {@code multiRow} the statement
     * that may apply it with others, with its values {@code rowValues}; or neither.
     */
    private record Pending(String sql, List<String> parameters, String copySql, MultiRowStatement multiRow, List<String> rowValues) {}

    private final Map<TableRef, List<Pending>> queues = new LinkedHashMap<>();
    private int queued;
    private static final int MAX_CACHED = 256;

    private final Connection connection;
    private final CopyInserter copier;
    private final MultiRowApplier multiRows;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(64, 0.75f, true);
    private String currentSql;
    private PreparedStatement current;
    private int pending;
    private BatchListener listener;

    /** Told how many changes of a flushed run found no row to change (a divergence). */
    interface BatchListener {
        void unmatched(String sql, long changes);
    }

    StatementBatcher(Connection connection) throws SQLException {
        this.connection = connection;
        this.copier = new CopyInserter(connection);
        this.multiRows = new MultiRowApplier(connection);
    }

    void listener(BatchListener listener) {
        this.listener = listener;
    }

    /** Queues a statement that changes rows of {@code table} only. */
    void add(TableRef table, String sql, List<String> parameters) throws SQLException {
        queue(table, new Pending(sql, parameters, null, null, null));
    }

    /**
     * Queues an update or a delete of one row of {@code table} by key: {@code sql} with {@code parameters}, or
     * {@code rowValues} as a row of {@code multiRow} (null: none) when it is part of a run of such changes.
     */
    void addKeyed(TableRef table, String sql, List<String> parameters, MultiRowStatement multiRow, List<String> rowValues)
            throws SQLException {
        queue(table, new Pending(sql, parameters, null, multiRow, rowValues));
    }

    /**
     * Queues the insert (or upsert) of one row of {@code table}: {@code sql} with {@code parameters}, or a line of
     * {@code copySql} (the same columns) when it is part of a run of such inserts.
     */
    void addInsert(TableRef table, String sql, String copySql, List<String> parameters) throws SQLException {
        queue(table, new Pending(sql, parameters, copySql, null, null));
    }

    private void queue(TableRef table, Pending pending) throws SQLException {
        queues.computeIfAbsent(table, t -> new java.util.ArrayList<>()).add(pending);
        if (++queued >= MAX_QUEUED) {
            flush();
        }
    }

    /** Runs every queued statement, then this one (alone). */
    void barrier(String sql) throws SQLException {
        flush();
        run(sql, List.of());
        flushCurrent();
    }

    /** Runs every queued statement. */
    void flush() throws SQLException {
        for (Map.Entry<TableRef, List<Pending>> entry : queues.entrySet()) {
            List<Pending> queue = entry.getValue();
            int i = 0;
            while (i < queue.size()) {
                Pending first = queue.get(i);
                int end = i + 1;
                if (first.copySql() != null || first.multiRow() != null) {
                    // the same statement text (one instance per table and columns) means the same COPY or multi-row form
                    while (end < queue.size() && queue.get(end).sql().equals(first.sql())) {
                        end++;
                    }
                    if (end - i >= MIN_COPY_ROWS && applyRun(entry.getKey(), queue.subList(i, end))) {
                        i = end;
                        continue;
                    }
                }
                for (; i < end; i++) {
                    run(queue.get(i).sql(), queue.get(i).parameters());
                }
            }
            flushCurrent();
        }
        queues.clear();
        queued = 0;
    }

    /** A run of one statement as one COPY or one multi-row statement; false: it must go statement by statement. */
    private boolean applyRun(TableRef table, List<Pending> run) throws SQLException {
        flushCurrent();
        Pending first = run.get(0);
        if (first.copySql() != null) {
            return copier.insert(table, first.copySql(), run.stream().map(Pending::parameters).toList());
        }
        long missed = multiRows.apply(first.multiRow(), run.stream().map(Pending::rowValues).toList());
        if (missed > 0 && listener != null) {
            listener.unmatched(first.sql(), missed);
        }
        return missed >= 0;
    }

    private void run(String sql, List<String> parameters) throws SQLException {
        if (!sql.equals(currentSql)) {
            flushCurrent();
            current = prepare(sql);
            currentSql = sql;
        }
        int i = 1;
        for (String value : parameters) {
            if (value == null) {
                current.setNull(i++, Types.OTHER);
            } else {
                current.setObject(i++, value, Types.OTHER);
            }
        }
        current.addBatch();
        if (++pending >= MAX_BATCH) {
            flushCurrent();
        }
    }

    private void flushCurrent() throws SQLException {
        if (pending > 0) {
            int[] counts = current.executeBatch();
            pending = 0;
            int missed = ChangeSql.unmatched(currentSql, counts);
            if (missed > 0 && listener != null) {
                listener.unmatched(currentSql, missed);
            }
        }
        currentSql = null;
        current = null;
    }

    /** After a failed apply: drop the half-built batch. */
    void reset() {
        queues.clear();
        queued = 0;
        pending = 0;
        currentSql = null;
        current = null;
        closeAll();
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
            if (cache.size() > MAX_CACHED) {
                Iterator<Map.Entry<String, PreparedStatement>> eldest = cache.entrySet().iterator();
                PreparedStatement old = eldest.next().getValue();
                eldest.remove();
                if (old != ps) {
                    old.close();
                }
            }
        }
        ps.clearBatch();
        return ps;
    }

    private void closeAll() {
        multiRows.reset();
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // the connection is probably gone; nothing to keep
            }
        }
        cache.clear();
    }

    @Override
    public void close() {
        closeAll();
    }
}
