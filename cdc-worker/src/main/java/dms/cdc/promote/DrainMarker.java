package dms.cdc.promote;

import dms.common.pg.WalMarker;
import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * How a drain knows it has caught up with the source.
 *
 * <p>The target is the source's {@code pg_current_wal_lsn()} when the drain starts. Applying
 * "until the applied position reaches it" does not work on its own: when no transaction touches
 * our tables after the last one applied, nothing arrives and the position never moves. So the drain
 * writes a marker into the source's WAL, after the target: a non-transactional logical decoding
 * message ({@code pg_logical_emit_message(false, 'dms.drain', token)}). Logical decoding hands out
 * transactions in commit order and such a message at its own position, so when the stream delivers
 * the marker, every transaction that committed before the target has been delivered (and, buffered
 * whole, applied in the same destination transaction as the marker's position).
 *
 * <p>From PostgreSQL 14 this writes one WAL record on the source and nothing to any table: no user data
 * changes, no xid is taken, other subscribers of the database ignore it (pgoutput sends messages only to
 * clients that ask, and the token names the slot it is for). Before 14 (pgoutput forwards no messages) the
 * marker is a committed row of the slot's own marker table in the job's publication, which the stream
 * turns into the same marker at its commit ({@link WalMarker}).
 */
public final class DrainMarker {

    public static final String PREFIX = WalMarker.PREFIX;

    private DrainMarker() {}

    public static String newToken(String slotName) {
        return slotName + ":" + UUID.randomUUID();
    }

    public static Lsn currentWalLsn(Connection source) throws SQLException {
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    /** Writes the marker; returns its LSN (after every commit made before this call). */
    public static Lsn emit(Connection source, String slotName, String token) throws SQLException {
        return WalMarker.emit(source, slotName, token);
    }
}
