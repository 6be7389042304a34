package dms.cdc.stream;

import dms.common.sql.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a stream starts: up to where may the slot re-deliver transactions that are applied already? The slot
 * confirms a transaction only after the destination committed it, so after a crash between the two it sends
 * them again (the stored position skips them, docs/data-path.md, rule 4). Such a transaction must not be
 * applied in parts before its END tells its commit LSN; a part is only safe past this point. So the slot
 * (inactive while no stream runs) is first moved to the applied position, as applying would have moved it:
 * then nothing applied comes again and every transaction may go in parts.
 */
final class ReplayEnd {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayEnd.class);

    private static final long ACTIVE_WAIT_MS = 15_000;

    private ReplayEnd() {}

    /**
     * @return {@link Lsn#ZERO} when the slot sends only transactions that commit after {@code applied};
     *     {@code applied} otherwise (the slot could not be moved: PostgreSQL before 11, or still held by a
     *     stream that died), and a transaction overlapping it is then held until its END
     */
    static Lsn of(Connection source, String slot, Lsn applied) throws SQLException {
        Lsn confirmed = confirmed(source, slot, true);
        if (confirmed != null && !applied.isAfter(confirmed)) {
            return Lsn.ZERO;
        }
        if (confirmed == null || serverVersion(source) < 110000) {
            return applied;
        }
        try {
            advance(source, slot, applied);
        } catch (SQLException e) {
            LOG.warn("slot {}: not moved from {} to the applied position {} ({}): transactions it re-delivers are"
                    + " held whole until their end", slot, confirmed, applied, e.getMessage());
            return applied;
        }
        Lsn moved = confirmed(source, slot, false);
        LOG.info("slot {}: moved from {} to the applied position {}", slot, confirmed, moved);
        return moved != null && !applied.isAfter(moved) ? Lsn.ZERO : applied;
    }

    /**
     * The walsender of a worker that just died may hold the slot a moment longer (until the server sees the
     * connection gone): a slot in use (SQLSTATE 55006) is asked again for up to {@link #ACTIVE_WAIT_MS}.
     */
    private static void advance(Connection source, String slot, Lsn to) throws SQLException {
        long deadline = System.currentTimeMillis() + ACTIVE_WAIT_MS;
        while (true) {
            try (PreparedStatement ps = source.prepareStatement("SELECT pg_replication_slot_advance(?, ?::pg_lsn)")) {
                ps.setString(1, slot);
                ps.setString(2, to.toString());
                ps.execute();
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for slot " + slot, e);
            }
        }
    }

    /**
     * The slot's confirmed position. With {@code logRestartPoint}, also logs how much WAL lies between its restart point
     * and that position: the walsender decodes from the restart point, so all of it is read and decoded again before
     * the first change is sent. PostgreSQL moves the restart point only past a running-transactions record (every 15 s
     * on a busy server, and at checkpoints) that the client has confirmed; after a short stream it may still be where
     * the slot was made. Most of the wait for the first change on such a start.
     */
    private static Lsn confirmed(Connection source, String slot, boolean logRestartPoint) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT confirmed_flush_lsn::text,"
                + " pg_wal_lsn_diff(confirmed_flush_lsn, restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
                if (logRestartPoint && rs.getObject(2) != null) {
                    LOG.info("slot {}: the source decodes {} kB of WAL again (restart point to confirmed position) before"
                            + " the first change", slot, rs.getLong(2) / 1024);
                }
                return Lsn.parse(rs.getString(1));
            }
        }
    }

    private static int serverVersion(Connection source) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT current_setting('server_version_num')::int");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
