package dms.dump.tasks;

import dms.common.messages.CopyUnit;
import dms.common.messages.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The {@code dms_internal} schema in each destination database: what the migration keeps
 * next to the data (and the job that created the database, {@link dms.common.pg.DatabaseOwnership}): the schema dump taken at the job's snapshot, so that whichever worker
 * runs post-data finds it, the snapshot copies must have imported to commit (a fence), and a
 * record of each copied unit with its sync LSN, committed with its rows (CDC reads it).
 */
public final class InternalSchema {

    public static final String SCHEMA = "dms_internal";

    private InternalSchema() {}

    /** Creates the schema and its tables in a destination database (before anything is copied into it). */
    public static void create(Connection destination) throws SQLException {
        try (Statement st = destination.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".schema_dump (job_id text NOT NULL, run_epoch bigint NOT NULL,"
                    + " dump bytea NOT NULL, taken_at timestamptz NOT NULL DEFAULT now(), post_data_done_at timestamptz,"
                    + " PRIMARY KEY (job_id, run_epoch))");
            // The snapshot the job's copies import now. A copy commits only if it is still the one it
            // imported: a copy of a superseded snapshot (its table is being copied again) cannot add rows.
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".dump_fence (job_id text PRIMARY KEY,"
                    + " snapshot_name text NOT NULL, sync_lsn pg_lsn NOT NULL, set_at timestamptz NOT NULL DEFAULT now())");
            // One row per copy unit, written in the transaction of its COPY: a unit with a row is on
            // the destination, a unit without one has none of its rows there. sync_lsn is the consistent
            // LSN of the snapshot it was copied under: CDC skips the table's older changes.
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".copied_unit (job_id text NOT NULL, snapshot_name text NOT NULL,"
                    + " unit_no integer NOT NULL, schema_name text NOT NULL, table_name text NOT NULL, sync_lsn pg_lsn NOT NULL,"
                    + " rows_copied bigint NOT NULL, bytes_copied bigint NOT NULL, copied_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (job_id, snapshot_name, unit_no))");
        }
    }

    /** The unit's counts if a copy of it under {@code snapshotName} committed, else null. */
    public static long[] copiedUnit(Connection destination, String jobId, String snapshotName, int unitNo) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT rows_copied, bytes_copied FROM " + SCHEMA
                + ".copied_unit WHERE job_id = ? AND snapshot_name = ? AND unit_no = ?")) {
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
     * current one (the fence row is share-locked until commit, so a new snapshot waits for it).
     *
     * @throws SupersededCopyException when a newer snapshot took over
     */
    public static void markCopied(Connection destination, String jobId, String snapshotName, String syncLsn,
                                  CopyUnit unit, long rows, long bytes) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement(
                "SELECT snapshot_name FROM " + SCHEMA + ".dump_fence WHERE job_id = ? FOR SHARE")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                String current = rs.next() ? rs.getString(1) : null;
                if (!snapshotName.equals(current)) {
                    throw new SupersededCopyException(snapshotName, current);
                }
            }
        }
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + SCHEMA + ".copied_unit (job_id,"
                + " snapshot_name, unit_no, schema_name, table_name, sync_lsn, rows_copied, bytes_copied)"
                + " VALUES (?, ?, ?, ?, ?, ?::pg_lsn, ?, ?)")) {
            ps.setString(1, jobId);
            ps.setString(2, snapshotName);
            ps.setInt(3, unit.unitNo());
            ps.setString(4, unit.schema());
            ps.setString(5, unit.table());
            ps.setString(6, syncLsn);
            ps.setLong(7, rows);
            ps.setLong(8, bytes);
            ps.executeUpdate();
        }
    }

    /** Makes {@code snapshotName} the one copies must have imported to commit; waits for copies committing now. */
    public static void setFence(Connection destination, String jobId, String snapshotName, String syncLsn) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + SCHEMA + ".dump_fence (job_id, snapshot_name,"
                + " sync_lsn) VALUES (?, ?, ?::pg_lsn) ON CONFLICT (job_id) DO UPDATE SET snapshot_name = excluded.snapshot_name,"
                + " sync_lsn = excluded.sync_lsn, set_at = now()")) {
            ps.setString(1, jobId);
            ps.setString(2, snapshotName);
            ps.setString(3, syncLsn);
            ps.executeUpdate();
        }
    }

    /** Forgets every copy of these tables (their rows are being removed in the same transaction). */
    public static void forgetCopies(Connection destination, String jobId, List<TableName> tables) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("DELETE FROM " + SCHEMA + ".copied_unit"
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

    /** Post-data of the job's latest schema dump is applied (a repeated POST_DATA only syncs sequences). */
    public static void markPostDataDone(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("UPDATE " + SCHEMA + ".schema_dump SET post_data_done_at = now()"
                + " WHERE job_id = ? AND run_epoch = (SELECT max(run_epoch) FROM " + SCHEMA + ".schema_dump WHERE job_id = ?)")) {
            ps.setString(1, jobId);
            ps.setString(2, jobId);
            ps.executeUpdate();
        }
    }

    public static boolean postDataDone(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT post_data_done_at IS NOT NULL FROM " + SCHEMA
                + ".schema_dump WHERE job_id = ? ORDER BY run_epoch DESC LIMIT 1")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    public static void saveSchemaDump(Connection destination, String jobId, long runEpoch, byte[] dump) throws SQLException {
        create(destination);
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + SCHEMA + ".schema_dump (job_id, run_epoch, dump)"
                + " VALUES (?, ?, ?) ON CONFLICT (job_id, run_epoch) DO UPDATE SET dump = excluded.dump, taken_at = now()")) {
            ps.setString(1, jobId);
            ps.setLong(2, runEpoch);
            ps.setBytes(3, dump);
            ps.executeUpdate();
        }
    }

    /** The schema dump of the job's latest prepared run (a resumed run keeps the one its tables were made from). */
    public static byte[] loadSchemaDump(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement(
                "SELECT dump FROM " + SCHEMA + ".schema_dump WHERE job_id = ? ORDER BY run_epoch DESC LIMIT 1")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no schema dump of job " + jobId + " in " + SCHEMA
                            + ": was the destination database replaced during the dump?");
                }
                return rs.getBytes(1);
            }
        }
    }
}
