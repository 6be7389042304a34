package dms.common.pg.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The snapshot a job's copies must have imported to commit ({@code dms_internal.dump_fence}):
 * a new snapshot, set when a table is copied again, shuts out the copies of the one before.
 */
public final class DumpFence {

    private DumpFence() {}

    /** Makes {@code snapshotName} the one copies must have imported to commit; waits for copies committing now. */
    public static void set(Connection destination, String jobId, String snapshotName, String syncLsn) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + InternalSchema.DUMP_FENCE + " (job_id, snapshot_name,"
                + " sync_lsn) VALUES (?, ?, ?::pg_lsn) ON CONFLICT (job_id) DO UPDATE SET snapshot_name = excluded.snapshot_name,"
                + " sync_lsn = excluded.sync_lsn, set_at = now()")) {
            ps.setString(1, jobId);
            ps.setString(2, snapshotName);
            ps.setString(3, syncLsn);
            ps.executeUpdate();
        }
    }

    /**
     * Checks, in the caller's transaction, that {@code snapshotName} is the job's current one, and
     * share-locks the fence row until that transaction ends (so a new snapshot waits for it).
     *
     * @throws SupersededCopyException when a newer snapshot took over
     */
    static void holdCurrent(Connection destination, String jobId, String snapshotName) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement(
                "SELECT snapshot_name FROM " + InternalSchema.DUMP_FENCE + " WHERE job_id = ? FOR SHARE")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                String current = rs.next() ? rs.getString(1) : null;
                if (!snapshotName.equals(current)) {
                    throw new SupersededCopyException(snapshotName, current);
                }
            }
        }
    }
}
