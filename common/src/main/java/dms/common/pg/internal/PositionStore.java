package dms.common.pg.internal;

import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The applied position of one job database ({@code dms_internal.cdc_position}): the cdc-worker
 * writes it in the destination transaction that applies the changes, so the position and the
 * data it stands for commit together (docs/data-path.md, rule 4); verification waits on it.
 * With several replication groups (the job's cdcParallelism) each group's stream has its own row:
 * group 0 under the database's name, as with one group, group k under {@code <database>#g<k>} (the
 * table is in the destination database itself, so no other database's rows are there to collide).
 */
public final class PositionStore {

    private static final Duration POLL = Duration.ofMillis(100);

    private final String jobId;
    private final String database;

    public PositionStore(String jobId, String database) {
        this(jobId, database, 0);
    }

    /** The position of replication group {@code group} of the job database. */
    public PositionStore(String jobId, String database, int group) {
        this.jobId = jobId;
        this.database = group == 0 ? database : database + "#g" + group;
    }

    /**
     * Whether every one of the job database's {@code groups} replication groups applied {@code target} (or beyond)
     * within {@code timeout}: a marker reaches every group's stream (docs/cdc.md, Markers).
     */
    public static boolean awaitGroups(Connection destination, String jobId, String database, int groups, Lsn target, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int k = 0; k < groups; k++) {
            long left = deadline - System.nanoTime();
            if (!new PositionStore(jobId, database, k).await(destination, target, Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        return true;
    }

    /** The applied position; {@link AppliedPosition#NONE} while nothing is applied (nor the table created) yet. */
    public AppliedPosition read(Connection destination) throws SQLException {
        // A job just in CDC: its stream may not have started on this destination yet.
        try (PreparedStatement ps = destination.prepareStatement("SELECT to_regclass(?) IS NULL")) {
            ps.setString(1, InternalSchema.CDC_POSITION);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return AppliedPosition.NONE;
                }
            }
        }
        try (PreparedStatement ps = destination.prepareStatement("SELECT commit_lsn::text, source_commit_time, applied_at, transactions, changes, unmatched"
                + " FROM " + InternalSchema.CDC_POSITION + " WHERE job_id = ? AND database = ?")) {
            ps.setString(1, jobId);
            ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return AppliedPosition.NONE;
                }
                return new AppliedPosition(Lsn.parse(rs.getString(1)), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6));
            }
        }
    }

    /**
     * Records the new position, in the caller's (not yet committed) transaction; returns it. {@code addUnmatched}:
     * updates and deletes of these transactions that found no row on the destination.
     */
    public AppliedPosition write(Connection destination, Lsn commitLsn, Instant sourceCommitTime, long addTransactions, long addChanges,
                                 long addUnmatched) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + InternalSchema.CDC_POSITION
                + " AS p (job_id, database, commit_lsn, source_commit_time, applied_at, transactions, changes, unmatched)"
                + " VALUES (?, ?, ?::pg_lsn, ?, clock_timestamp(), ?, ?, ?) ON CONFLICT (job_id, database) DO UPDATE SET"
                + " commit_lsn = EXCLUDED.commit_lsn, source_commit_time = EXCLUDED.source_commit_time, applied_at = EXCLUDED.applied_at,"
                + " transactions = p.transactions + EXCLUDED.transactions, changes = p.changes + EXCLUDED.changes,"
                + " unmatched = p.unmatched + EXCLUDED.unmatched"
                + " RETURNING applied_at, transactions, changes, unmatched")) {
            ps.setString(1, jobId);
            ps.setString(2, database);
            ps.setString(3, commitLsn.toString());
            ps.setTimestamp(4, sourceCommitTime == null ? null : Timestamp.from(sourceCommitTime));
            ps.setLong(5, addTransactions);
            ps.setLong(6, addChanges);
            ps.setLong(7, addUnmatched);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new AppliedPosition(commitLsn, sourceCommitTime, instant(rs.getTimestamp(1)), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4));
            }
        }
    }

    /**
     * Whether the destination applied {@code target} (or beyond) within {@code timeout}: reached
     * for a marker written after a source snapshot, every transaction of that snapshot is applied.
     */
    public boolean await(Connection destination, Lsn target, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(destination).covers(target)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
