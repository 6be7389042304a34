package dms.dump.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The {@code dms_internal} schema in each destination database: what the migration keeps
 * next to the data. Here, the schema dump taken at the job's snapshot, so that whichever
 * worker runs post-data finds it (pre-data and post-data may run on different workers).
 */
public final class InternalSchema {

    public static final String SCHEMA = "dms_internal";

    private InternalSchema() {}

    public static void saveSchemaDump(Connection destination, String jobId, long runEpoch, byte[] dump) throws SQLException {
        try (Statement st = destination.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".schema_dump (job_id text NOT NULL, run_epoch bigint NOT NULL,"
                    + " dump bytea NOT NULL, taken_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, run_epoch))");
        }
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
