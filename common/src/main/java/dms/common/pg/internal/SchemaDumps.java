package dms.common.pg.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The schema dump taken at the job's snapshot, one per prepared run ({@code dms_internal.schema_dump}),
 * and whether its post-data part is applied: whichever worker runs post-data finds it there.
 */
public final class SchemaDumps {

    private SchemaDumps() {}

    public static void save(Connection destination, String jobId, long runEpoch, byte[] dump) throws SQLException {
        InternalSchema.create(destination);
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + InternalSchema.SCHEMA_DUMP + " (job_id, run_epoch, dump)"
                + " VALUES (?, ?, ?) ON CONFLICT (job_id, run_epoch) DO UPDATE SET dump = excluded.dump, taken_at = now()")) {
            ps.setString(1, jobId);
            ps.setLong(2, runEpoch);
            ps.setBytes(3, dump);
            ps.executeUpdate();
        }
    }

    /** The schema dump of the job's latest prepared run (a resumed run keeps the one its tables were made from). */
    public static byte[] load(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement(
                "SELECT dump FROM " + InternalSchema.SCHEMA_DUMP + " WHERE job_id = ? ORDER BY run_epoch DESC LIMIT 1")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no schema dump of job " + jobId + " in " + InternalSchema.SCHEMA
                            + ": was the destination database replaced during the dump?");
                }
                return rs.getBytes(1);
            }
        }
    }

    /** Post-data of the job's latest schema dump is applied (a repeated POST_DATA only syncs sequences). */
    public static void markPostDataDone(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("UPDATE " + InternalSchema.SCHEMA_DUMP + " SET post_data_done_at = now()"
                + " WHERE job_id = ? AND run_epoch = (SELECT max(run_epoch) FROM " + InternalSchema.SCHEMA_DUMP + " WHERE job_id = ?)")) {
            ps.setString(1, jobId);
            ps.setString(2, jobId);
            ps.executeUpdate();
        }
    }

    public static boolean postDataDone(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT post_data_done_at IS NOT NULL FROM " + InternalSchema.SCHEMA_DUMP
                + " WHERE job_id = ? ORDER BY run_epoch DESC LIMIT 1")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
