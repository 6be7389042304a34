package dms.dump.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The {@code dms_internal} schema in each destination database: what the migration keeps
 * next to the data: the schema dump taken at the job's snapshot, so that whichever worker
 * runs post-data finds it, and a record of each copied unit, committed with its rows.
 */
public final class InternalSchema {

    public static final String SCHEMA = "dms_internal";

    private InternalSchema() {}

    /** Creates the schema and its tables in a destination database (before anything is copied into it). */
    public static void create(Connection destination) throws SQLException {
        try (Statement st = destination.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".schema_dump (job_id text NOT NULL, run_epoch bigint NOT NULL,"
                    + " dump bytea NOT NULL, taken_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, run_epoch))");
            // One row per copy unit, written in the transaction of its COPY: a unit with a row is on
            // the destination, a unit without one has none of its rows there.
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".copied_unit (job_id text NOT NULL, run_epoch bigint NOT NULL,"
                    + " unit_no integer NOT NULL, rows_copied bigint NOT NULL, bytes_copied bigint NOT NULL,"
                    + " copied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, run_epoch, unit_no))");
        }
    }

    /** The unit's counts if a copy of it committed, else null. */
    public static long[] copiedUnit(Connection destination, String jobId, long runEpoch, int unitNo) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT rows_copied, bytes_copied FROM " + SCHEMA
                + ".copied_unit WHERE job_id = ? AND run_epoch = ? AND unit_no = ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, runEpoch);
            ps.setInt(3, unitNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    public static void markCopied(Connection destination, String jobId, long runEpoch, int unitNo, long rows, long bytes)
            throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + SCHEMA + ".copied_unit"
                + " (job_id, run_epoch, unit_no, rows_copied, bytes_copied) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, jobId);
            ps.setLong(2, runEpoch);
            ps.setInt(3, unitNo);
            ps.setLong(4, rows);
            ps.setLong(5, bytes);
            ps.executeUpdate();
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

    public static byte[] loadSchemaDump(Connection destination, String jobId, long runEpoch) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement(
                "SELECT dump FROM " + SCHEMA + ".schema_dump WHERE job_id = ? AND run_epoch = ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, runEpoch);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no schema dump of job " + jobId + " run " + runEpoch + " in " + SCHEMA
                            + ": was the destination database replaced during the dump?");
                }
                return rs.getBytes(1);
            }
        }
    }
}
