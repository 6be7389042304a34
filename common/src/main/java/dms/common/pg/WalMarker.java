package dms.common.pg;

import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A marker in the source's WAL that a job's CDC stream applies as an empty transaction at the
 * marker's LSN: a non-transactional logical decoding message with prefix {@value #PREFIX} and a
 * token naming the slot. Once the destination's applied position reaches the marker, every
 * transaction committed before it was written is applied. Used by the drain of promote, the
 * heartbeats, and the data check of verify. Needs PostgreSQL 14+ on the source.
 */
public final class WalMarker {

    public static final String PREFIX = "dms.drain";

    private WalMarker() {}

    /** Writes the marker; returns its LSN (after every commit made before this call). */
    public static Lsn emit(Connection source, String token) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT pg_logical_emit_message(false, ?, ?)::text")) {
            ps.setString(1, PREFIX);
            ps.setString(2, token);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Lsn.parse(rs.getString(1));
            }
        }
    }
}
