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
 * already there.
 */
final class StatementBatcher implements AutoCloseable {

    private static final int MAX_BATCH = 1000;
    private static final int MAX_QUEUED = 20_000;

    /** Below this many rows a run of inserts is cheaper as a pipelined batch than as a savepoint and a COPY. */
    static final int MIN_COPY_ROWS = 8;

    /** A queued statement; {@code copySql} the COPY that may insert its row instead, or null. */
    private record Pending(String sql, List<String> parameters, String copySql) {}

    private final Map<TableRef, List<Pending>> queues = new LinkedHashMap<>();
    private int queued;
    private static final int MAX_CACHED = 256;

    private final Connection connection;
    private final CopyInserter copier;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(64, 0.75f, true);
    private String currentSql;
    private PreparedStatement current;
    private int pending;
    private BatchListener listener;

    /** Told the update count of each statement of a flushed batch run (to notice rows not found). */
    interface BatchListener {
        void executed(String sql, int[] counts);
    }

    StatementBatcher(Connection connection) throws SQLException {
        this.connection = connection;
        this.copier = new CopyInserter(connection);
    }

    void listener(BatchListener listener) {
        this.listener = listener;
    }

    /** Queues a statement that changes rows of {@code table} only. */
    void add(TableRef table, String sql, List<String> parameters) throws SQLException {
        queue(table, new Pending(sql, parameters, null));
    }

    /**
     * Queues the insert (or upsert) of one row of {@code table}: {@code sql} with {@code parameters}, or a line of
     * {@code copySql} (the same columns) when it is part of a run of such inserts.
     */
    void addInsert(TableRef table, String sql, String copySql, List<String> parameters) throws SQLException {
        queue(table, new Pending(sql, parameters, copySql));
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
                if (first.copySql() != null) {
                    // the same statement text (one instance per table and columns) means the same COPY
                    while (end < queue.size() && queue.get(end).sql().equals(first.sql())) {
                        end++;
                    }
                    if (end - i >= MIN_COPY_ROWS) {
                        flushCurrent();
                        List<List<String>> rows = queue.subList(i, end).stream().map(Pending::parameters).toList();
                        if (copier.insert(entry.getKey(), first.copySql(), rows)) {
                            i = end;
                            continue;
                        }
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
            if (listener != null) {
                listener.executed(currentSql, counts);
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
