package dms.cdc.position;

import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The applied position in the destination database ({@code dms_internal.cdc_position}, one row
 * per job database), written in the destination transaction that applies the changes: the
 * position and the data it stands for commit together (docs/data-path.md, rule 4).
 */
public final class PositionStore {

    public static final String SCHEMA = "dms_internal";
    public static final String TABLE = SCHEMA + ".cdc_position";

    private final String jobId;
    private final String database;

    public PositionStore(String jobId, String database) {
        this.jobId = jobId;
        this.database = database;
    }

    /** Creates the schema and table when absent (autocommit session). */
    public static void createIfAbsent(Connection destination) throws SQLException {
        try (Statement st = destination.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (job_id text NOT NULL, database text NOT NULL,"
                    + " commit_lsn pg_lsn NOT NULL, source_commit_time timestamptz, applied_at timestamptz NOT NULL DEFAULT now(),"
                    + " transactions bigint NOT NULL DEFAULT 0, changes bigint NOT NULL DEFAULT 0, PRIMARY KEY (job_id, database))");
        }
    }

    public AppliedPosition read(Connection destination) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT commit_lsn::text, source_commit_time, applied_at, transactions, changes"
                + " FROM " + TABLE + " WHERE job_id = ? AND database = ?")) {
            ps.setString(1, jobId);
            ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return AppliedPosition.NONE;
                }
                return new AppliedPosition(Lsn.parse(rs.getString(1)), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                        rs.getLong(4), rs.getLong(5));
            }
        }
    }

    /** Records the new position, in the caller's (not yet committed) transaction; returns it. */
    public AppliedPosition write(Connection destination, Lsn commitLsn, Instant sourceCommitTime, long addTransactions, long addChanges)
            throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("INSERT INTO " + TABLE
                + " AS p (job_id, database, commit_lsn, source_commit_time, applied_at, transactions, changes)"
                + " VALUES (?, ?, ?::pg_lsn, ?, clock_timestamp(), ?, ?) ON CONFLICT (job_id, database) DO UPDATE SET"
                + " commit_lsn = EXCLUDED.commit_lsn, source_commit_time = EXCLUDED.source_commit_time, applied_at = EXCLUDED.applied_at,"
                + " transactions = p.transactions + EXCLUDED.transactions, changes = p.changes + EXCLUDED.changes"
                + " RETURNING applied_at, transactions, changes")) {
            ps.setString(1, jobId);
            ps.setString(2, database);
            ps.setString(3, commitLsn.toString());
            ps.setTimestamp(4, sourceCommitTime == null ? null : Timestamp.from(sourceCommitTime));
            ps.setLong(5, addTransactions);
            ps.setLong(6, addChanges);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new AppliedPosition(commitLsn, sourceCommitTime, instant(rs.getTimestamp(1)), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
