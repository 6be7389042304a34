package dms.dump.copy;

import dms.common.messages.CopyRange;
import dms.common.sql.SqlIdentifiers;
import dms.dump.catalog.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Copies a table, or one range of it, from the source to the destination (docs/data-path.md,
 * rule 7): COPY TO STDOUT on the source streamed buffer by buffer into COPY FROM STDIN on the
 * destination; nothing is written to disk or held whole in memory.
 *
 * <p>The source reads in a REPEATABLE READ, READ ONLY transaction that imported the job's exported
 * snapshot, so every copy sees the database as of the slot's consistent point. The destination
 * writes in one transaction that first empties what the copy owns: TRUNCATE (or DELETE, when other
 * tables' foreign keys point to it) for a whole table, DELETE of the key range for a primary-key
 * range when asked ({@code clearRange}). A failure or cancel leaves the table as it was.
 *
 * <p>A ctid range has no counterpart on the destination (rows land on other pages), so it deletes
 * nothing: its rows must not be there yet. The dump-worker makes sure of that with a record of each
 * unit committed with its rows ({@link #beforeCommit}, {@code dms_internal.copied_unit}): a unit
 * delivered again after its commit is not copied again, and one whose copy did not commit left
 * nothing. {@link #truncate} empties a table for a caller without such a record.
 *
 * <p>One copy at a time per instance; {@link #cancel()} may be called from any thread.
 */
public final class TableCopier {

    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9A-F]+(-[0-9A-F]+)*");
    /**
     * A binary attempt that fails with one of these is retried in text: no binary output/input
     * function (42883), binary data the receiver does not accept (22P03), or an embedded type OID
     * that differs on the destination (42804).
     */
    private static final Set<String> BINARY_PROBLEMS = Set.of("42883", "22P03", "42804");
    /**
     * Types whose binary form embeds type OIDs, which differ between two servers for anything not
     * built in: composites (record_send) and arrays of non-built-in elements (array_send). Domains
     * are followed to their base type.
     */
    private static final String BINARY_UNSAFE = """
            WITH RECURSIVE reach(typid) AS (
                SELECT atttypid FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped
              UNION
                SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END
                FROM reach r JOIN pg_type t ON t.oid = r.typid
                WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND t.typelem <> 0)
            )
            SELECT EXISTS (SELECT 1 FROM reach r JOIN pg_type t ON t.oid = r.typid
                           WHERE t.typtype = 'c' OR (t.typcategory = 'A' AND t.typelem >= 16384))
            """;

    private final Connection source;
    private final Connection destination;
    private volatile boolean cancelled;
    private CommitHook beforeCommit;

    /** Work done in the destination transaction of a copy, just before it commits (a record that it happened). */
    @FunctionalInterface
    public interface CommitHook {
        void run(Connection destination, long rows, long bytes) throws SQLException;
    }

    /** Runs {@code hook} in each copy's destination transaction, so that it commits with the rows or not at all. */
    public TableCopier beforeCommit(CommitHook hook) {
        this.beforeCommit = hook;
        return this;
    }

    /** Both connections stay the caller's; they are left in autocommit after each copy. */
    public TableCopier(Connection source, Connection destination) {
        this.source = source;
        this.destination = destination;
    }

    /**
     * Copies {@code range} of {@code table} as of the exported snapshot {@code snapshotName}, first
     * emptying what the range owns on the destination (safe for a re-delivered task).
     *
     * @throws CopyCancelledException after {@link #cancel()}
     * @throws SQLException any other failure; the destination transaction is rolled back
     */
    public CopyResult copy(TableInfo table, CopyRange range, String snapshotName) throws SQLException {
        return copy(table, range, snapshotName, true);
    }

    /**
     * As {@link #copy(TableInfo, CopyRange, String)}; {@code clearRange} false skips the DELETE of a
     * key range, for a first attempt into a table known to be empty there. Before post-data the
     * destination has no index, so that DELETE reads the whole table as loaded so far: for a table in
     * hundreds of ranges, that is the table read hundreds of times. A whole table is always truncated
     * (cheap, and what lets its rows be written frozen).
     */
    public CopyResult copy(TableInfo table, CopyRange range, String snapshotName, boolean clearRange) throws SQLException {
        String snapshot = snapshotLiteral(snapshotName);
        CopyRange what = range == null ? CopyRange.WHOLE : range;
        if (what.kind() == CopyRange.Kind.PRIMARY_KEY && !table.primaryKey().equals(List.of(what.column()))) {
            throw new IllegalArgumentException("a key range needs the table's single-column primary key: " + table
                    + " has " + table.primaryKey() + ", the range names " + what.column());
        }
        long start = System.nanoTime();
        try {
            checkCancelled();
            importSnapshot(snapshot);
            CopyFormat format = binarySafe(table) ? CopyFormat.BINARY : CopyFormat.TEXT;
            execute(source, "SAVEPOINT dms_copy");
            Counts counts;
            try {
                counts = attempt(table, what, format, clearRange);
            } catch (SQLException e) {
                if (format != CopyFormat.BINARY || cancelled || !BINARY_PROBLEMS.contains(e.getSQLState())) {
                    throw e;
                }
                // Back to before the binary COPY: the snapshot stays imported.
                execute(source, "ROLLBACK TO SAVEPOINT dms_copy");
                format = CopyFormat.TEXT;
                counts = attempt(table, what, format, clearRange);
            }
            source.commit();
            return new CopyResult(counts.rows, counts.bytes, (System.nanoTime() - start) / 1_000_000, format);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(source);
            rollbackQuietly(destination);
            if (cancelled) {
                throw new CopyCancelledException(table + " (" + what + ")", e);
            }
            throw e;
        } finally {
            autocommitQuietly(source);
            autocommitQuietly(destination);
        }
    }

    /**
     * Stops the running copy: both servers cancel their COPY (pgjdbc sends a cancel request on a
     * new connection), and copy() rolls back and throws {@link CopyCancelledException}. A copy
     * not yet started on this instance will not start.
     */
    public void cancel() {
        cancelled = true;
        cancelQuietly(source);
        cancelQuietly(destination);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Splits a big table into ranges for parallel copies; see {@link RangePlanner}. One whole-table
     * range when the table is at most {@code targetBytesPerRange}.
     */
    public static List<CopyRange> planRanges(Connection conn, TableInfo table, long targetBytesPerRange) throws SQLException {
        return RangePlanner.planRanges(conn, table, targetBytesPerRange);
    }

    /** {@code parts} ranges of the table, each reading only its own part of it; see {@link RangePlanner}. */
    public static List<CopyRange> split(Connection conn, TableInfo table, int parts) throws SQLException {
        return RangePlanner.split(conn, table, parts);
    }

    /** Whether {@link #split} can cut this table on this source at all. */
    public static boolean splittable(Connection conn, TableInfo table) throws SQLException {
        return RangePlanner.splittable(conn, table);
    }

    /** {@code 'name'} for SET TRANSACTION SNAPSHOT, after checking it is an exported snapshot id (hex and dashes). */
    public static String snapshotLiteral(String snapshotName) {
        if (snapshotName == null || !SNAPSHOT_NAME.matcher(snapshotName).matches()) {
            throw new IllegalArgumentException("not an exported snapshot name: " + snapshotName);
        }
        return "'" + snapshotName + "'";
    }

    /** Empties a destination table, e.g. once before its ctid ranges are copied. */
    public static void truncate(Connection destination, TableInfo table) throws SQLException {
        execute(destination, "TRUNCATE ONLY " + table.qualifiedName());
    }

    private record Counts(long rows, long bytes) {}

    private Counts attempt(TableInfo table, CopyRange range, CopyFormat format, boolean clearRange) throws SQLException {
        String condition = RangeCondition.sql(range);
        destination.setAutoCommit(false);
        // Whatever the server's default: COPY FREEZE refuses a transaction holding a snapshot (REPEATABLE READ).
        execute(destination, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        // A copy takes as long as the table needs; a role's statement_timeout must not cut it short.
        execute(destination, "SET LOCAL statement_timeout = 0");
        // Triggers and FK checks must not fire on rows that are already consistent (they are as of the
        // snapshot); FKs and triggers normally arrive with post-data anyway, but not on a copy repeated later.
        execute(destination, "SET LOCAL session_replication_role = replica");
        boolean freeze = false;
        if (condition == null && referencedByOtherTables(table)) {
            // TRUNCATE refuses a table other tables' foreign keys point to (once post-data is in: a copy
            // repeated later). DELETE does not, and in replica mode the FK triggers do not fire.
            execute(destination, "DELETE FROM ONLY " + table.qualifiedName());
        } else if (condition == null) {
            execute(destination, "TRUNCATE ONLY " + table.qualifiedName());
            // Emptied in this transaction: rows can be written frozen and all-visible (no later
            // anti-wraparound vacuum rewriting the whole table, index-only scans from the start).
            freeze = true;
        } else if (range.kind() == CopyRange.Kind.PRIMARY_KEY && clearRange) {
            execute(destination, "DELETE FROM ONLY " + table.qualifiedName() + " WHERE " + condition);
        }
        checkCancelled();
        // No columns (all generated, or none at all): COPY without a list, which skips generated columns.
        String list = table.columns().stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
        String columns = list.isEmpty() ? "" : " (" + list + ")";
        String from = condition == null
                ? table.qualifiedName() + columns // COPY of a table reads only that table, not its inheritance children
                : "(SELECT " + list + " FROM ONLY " + table.qualifiedName() + " WHERE " + condition + ")";
        String options = format == CopyFormat.BINARY
                ? (freeze ? " (FORMAT binary, FREEZE)" : " (FORMAT binary)")
                : (freeze ? " (FREEZE)" : "");

        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + from + " TO STDOUT" + format.option());
        CopyIn in = null;
        long bytes = 0;
        try {
            in = destination.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table.qualifiedName() + columns + " FROM STDIN" + options);
            byte[] buffer;
            while ((buffer = out.readFromCopy()) != null) {
                if (cancelled) {
                    throw new SQLException("cancelled", "57014");
                }
                in.writeToCopy(buffer, 0, buffer.length);
                bytes += buffer.length;
            }
            long rows = in.endCopy();
            checkCancelled();
            if (beforeCommit != null) {
                beforeCommit.run(destination, rows, bytes);
            }
            destination.commit();
            return new Counts(rows, bytes);
        } catch (SQLException | RuntimeException e) {
            if (in != null && in.isActive()) {
                cancelCopyQuietly(in);
            }
            abandon(out);
            rollbackQuietly(destination);
            throw e;
        }
    }

    private void importSnapshot(String snapshotLiteral) throws SQLException {
        source.setAutoCommit(false);
        execute(source, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        execute(source, "SET TRANSACTION SNAPSHOT " + snapshotLiteral);
        execute(source, "SET LOCAL statement_timeout = 0");
    }

    private boolean referencedByOtherTables(TableInfo table) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND confrelid = ?::regclass AND conrelid <> confrelid)")) {
            ps.setString(1, table.qualifiedName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private boolean binarySafe(TableInfo table) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(BINARY_UNSAFE)) {
            ps.setString(1, table.qualifiedName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1);
            }
        }
    }

    private void checkCancelled() throws SQLException {
        if (cancelled) {
            throw new SQLException("cancelled", "57014");
        }
    }

    private static void execute(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    private static void cancelQuietly(Connection conn) {
        try {
            conn.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // the connection is gone: nothing runs on it any more
        }
    }

    /**
     * Ends a COPY TO that is still sending: cancel it on the server, then read what is still on the
     * wire up to its error. (pgjdbc's CopyOut.cancelCopy() releases the connection without reading
     * that, and the next statement on it would get the stale error instead of its own result.)
     */
    private void abandon(CopyOut out) {
        if (!out.isActive()) {
            return;
        }
        cancelQuietly(source);
        try {
            while (out.isActive() && out.readFromCopy() != null) {
                // discard
            }
        } catch (SQLException e) {
            // the expected "canceling statement due to user request"
        }
    }

    private static void cancelCopyQuietly(CopyIn copy) {
        try {
            copy.cancelCopy();
        } catch (SQLException | RuntimeException e) {
            // the server already ended it (cancelled or failed); the rollback follows
        }
    }

    private static void autocommitQuietly(Connection conn) {
        try {
            conn.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            // a broken connection: the caller's next use fails on its own, and the copy's own error is the one to report
        }
    }

    private static void rollbackQuietly(Connection conn) {
        try {
            if (!conn.getAutoCommit()) {
                conn.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            // a broken connection rolls back on its own when the server notices
        }
    }
}
