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
 * text of unspecified type, cast in the SQL.
 */
final class StatementBatcher implements AutoCloseable {

    private static final int MAX_BATCH = 1000;
    private static final int MAX_QUEUED = 20_000;

    private record Pending(String sql, List<String> parameters) {}

    private final Map<TableRef, List<Pending>> queues = new LinkedHashMap<>();
    private int queued;
    private static final int MAX_CACHED = 256;

    private final Connection connection;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(64, 0.75f, true);
    private String currentSql;
    private PreparedStatement current;
    private int pending;
    private BatchListener listener;

    /** Told the update count of each statement of a flushed batch run (to notice rows not found). */
    interface BatchListener {
        void executed(String sql, int[] counts);
    }

    StatementBatcher(Connection connection) {
        this.connection = connection;
    }

    void listener(BatchListener listener) {
        this.listener = listener;
    }

    /** Queues a statement that changes rows of {@code table} only. */
    void add(TableRef table, String sql, List<String> parameters) throws SQLException {
        queues.computeIfAbsent(table, t -> new java.util.ArrayList<>()).add(new Pending(sql, parameters));
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
        for (List<Pending> queue : queues.values()) {
            for (Pending p : queue) {
                run(p.sql(), p.parameters());
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
