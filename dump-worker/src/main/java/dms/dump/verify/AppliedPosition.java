package dms.dump.verify;

import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The source position the destination has applied, as the cdc-worker commits it with the
 * changes ({@code dms_internal.cdc_position}, see cdc-worker's PositionStore): waiting until it
 * reaches a marker written after a source snapshot means every transaction of that snapshot is
 * on the destination.
 */
final class AppliedPosition {

    private static final Duration POLL = Duration.ofMillis(100);

    private AppliedPosition() {}

    /** The applied position; zero while the stream has not applied (nor created its table) yet. */
    static Lsn read(Connection destination, String jobId, String database) throws SQLException {
        // A job just in CDC: its stream may not have started on the destination yet.
        try (PreparedStatement ps = destination.prepareStatement("SELECT to_regclass('dms_internal.cdc_position') IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
                return Lsn.ZERO;
            }
        }
        try (PreparedStatement ps = destination.prepareStatement("SELECT commit_lsn::text FROM dms_internal.cdc_position"
                + " WHERE job_id = ? AND database = ?")) {
            ps.setString(1, jobId);
            ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Lsn.parse(rs.getString(1)) : Lsn.ZERO;
            }
        }
    }

    /** Whether the destination applied {@code target} (or beyond) within {@code timeout}. */
    static boolean await(Connection destination, String jobId, String database, Lsn target, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (read(destination, jobId, database).compareTo(target) < 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }
}
