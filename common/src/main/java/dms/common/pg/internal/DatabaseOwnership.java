package dms.common.pg.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which job created a destination database: destroy only what you made (docs/security.md,
 * "Nothing destroyed"). The dump-worker marks a database right after its CREATE DATABASE; a
 * restart or a purge drops only a database with the job's mark, and the pre-flight of a restart
 * reads it too. The mark is a row in {@code dms_internal.created_by_job} of that database.
 */
public final class DatabaseOwnership {

    private static final String TABLE = InternalSchema.CREATED_BY_JOB;

    private DatabaseOwnership() {}

    /** Marks the database of {@code destination} as created by the job (creating {@code dms_internal} in it). */
    public static void mark(Connection destination, String jobId, long runEpoch) throws SQLException {
        InternalSchema.create(destination);
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + TABLE + " (job_id, run_epoch) VALUES (?, ?)"
                + " ON CONFLICT (job_id) DO UPDATE SET run_epoch = excluded.run_epoch, created_at = now()")) {
            ps.setString(1, jobId);
            ps.setLong(2, runEpoch);
            ps.executeUpdate();
        }
    }

    /** Whether the job created the database of {@code destination} (its mark is there). */
    public static boolean createdBy(Connection destination, String jobId) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = destination.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Removes the job's mark: the database is the user's now, never a job's to drop. */
    public static void release(Connection destination, String jobId) throws SQLException {
        if (!createdBy(destination, jobId)) {
            return;
        }
        try (PreparedStatement ps = destination.prepareStatement("DELETE FROM " + TABLE + " WHERE job_id = ?")) {
            ps.setString(1, jobId);
            ps.executeUpdate();
        }
    }
}
