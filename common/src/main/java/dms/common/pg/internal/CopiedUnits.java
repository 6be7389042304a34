package dms.common.pg.internal;

import dms.common.messages.CopyUnit;
import dms.common.messages.TableName;
import dms.common.sql.Lsn;
import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of each copied unit with its sync LSN ({@code dms_internal.copied_unit}), written by
 * the dump-worker in the transaction of the unit's COPY, read by the cdc-worker to skip each
 * table's changes older than its copy (docs/data-path.md, rule 3).
 */
public final class CopiedUnits {

    /** Undefined table: no {@code copied_unit} yet, nothing was copied. */
    private static final String UNDEFINED_TABLE = "42P01";
    /** The snapshot name of a copy made during CDC (a table created on the source then), followed by the table. */
    private static final String CDC_COPY = "cdc-new-table:";

    private CopiedUnits() {}

    /** The unit's rows and bytes if a copy of it under {@code snapshotName} committed, else null. */
    public static long[] find(Connection destination, String jobId, String snapshotName, int unitNo) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT rows_copied, bytes_copied FROM " + InternalSchema.COPIED_UNIT
                + " WHERE job_id = ? AND snapshot_name = ? AND unit_no = ?")) {
            ps.setString(1, jobId);
            ps.setString(2, snapshotName);
            ps.setInt(3, unitNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    /**
     * Records the unit in the copy's destination transaction, if its snapshot is still the job's
     * current one ({@link DumpFence}).
     *
     * @throws SupersededCopyException when a newer snapshot took over
     */
    public static void record(Connection destination, String jobId, String snapshotName, String syncLsn,
                              CopyUnit unit, long rows, long bytes) throws SQLException {
        DumpFence.holdCurrent(destination, jobId, snapshotName);
        insert(destination, "", jobId, snapshotName, unit.unitNo(), unit.schema(), unit.table(), syncLsn, rows, bytes);
    }

    /**
     * Records the copy of a table created on the source during CDC (the cdc-worker copies it under its own
     * snapshot, no dump fence): one row per table, replaced if the table is copied again.
     */
    public static void recordCdcCopy(Connection destination, String jobId, TableName table, String syncLsn, long rows, long bytes)
            throws SQLException {
        insert(destination, " ON CONFLICT (job_id, snapshot_name, unit_no) DO UPDATE SET sync_lsn = excluded.sync_lsn,"
                + " rows_copied = excluded.rows_copied, bytes_copied = excluded.bytes_copied, copied_at = now()", jobId,
                CDC_COPY + SqlIdentifiers.qualified(table.schema(), table.table()), 0, table.schema(), table.table(), syncLsn, rows, bytes);
    }

    private static void insert(Connection destination, String onConflict, String jobId, String snapshotName, int unitNo, String schema,
                               String table, String syncLsn, long rows, long bytes) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + InternalSchema.COPIED_UNIT + " (job_id,"
                + " snapshot_name, unit_no, schema_name, table_name, sync_lsn, rows_copied, bytes_copied)"
                + " VALUES (?, ?, ?, ?, ?, ?::pg_lsn, ?, ?)" + onConflict)) {
            ps.setString(1, jobId);
            ps.setString(2, snapshotName);
            ps.setInt(3, unitNo);
            ps.setString(4, schema);
            ps.setString(5, table);
            ps.setString(6, syncLsn);
            ps.setLong(7, rows);
            ps.setLong(8, bytes);
            ps.executeUpdate();
        }
    }

    /** Forgets every copy of these tables (their rows are being removed in the same transaction). */
    public static void forget(Connection destination, String jobId, List<TableName> tables) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("DELETE FROM " + InternalSchema.COPIED_UNIT
                + " WHERE job_id = ? AND schema_name = ? AND table_name = ?")) {
            for (TableName t : tables) {
                ps.setString(1, jobId);
                ps.setString(2, t.schema());
                ps.setString(3, t.table());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Per table, the latest sync LSN of its copies; empty before any copy. */
    public static Map<TableName, Lsn> syncLsns(Connection destination, String jobId) throws SQLException {
        Map<TableName, Lsn> out = new HashMap<>();
        try (PreparedStatement ps = destination.prepareStatement("SELECT schema_name, table_name, max(sync_lsn)::text"
                + " FROM " + InternalSchema.COPIED_UNIT + " WHERE job_id = ? GROUP BY 1, 2")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new TableName(rs.getString(1), rs.getString(2)), Lsn.parse(rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
        }
        return out;
    }
}
