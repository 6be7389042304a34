package dms.cdc.lag;

import dms.common.pg.internal.AppliedPosition;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** Measures lag against the source: its WAL position and the slot's state (read-only queries). */
public final class LagProbe {

    private LagProbe() {}

    public static LagSnapshot measure(Connection source, String slotName, AppliedPosition applied) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT pg_current_wal_lsn()::text,"
                + " (SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?),"
                + " (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?)")) {
            ps.setString(1, slotName);
            ps.setString(2, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Lsn current = Lsn.parse(rs.getString(1));
                Lsn confirmed = rs.getString(2) == null ? null : Lsn.parse(rs.getString(2));
                long retained = rs.getLong(3);
                if (rs.wasNull()) {
                    retained = -1;
                }
                Instant now = Instant.now();
                // Nothing applied yet: the stream starts at the slot's confirmed position, not at 0/0.
                Lsn base = applied.commitLsn().equals(Lsn.ZERO) && confirmed != null ? confirmed : applied.commitLsn();
                long lag = Math.max(0, current.value() - base.value());
                double age = applied.sourceCommitTime() == null ? -1
                        : Duration.between(applied.sourceCommitTime(), now).toMillis() / 1000.0;
                return new LagSnapshot(now, current, applied.commitLsn(), lag, age, confirmed, retained);
            }
        }
    }
}
