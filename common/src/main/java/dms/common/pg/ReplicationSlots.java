package dms.common.pg;

import dms.common.messages.ConnectionProfile;
import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A job's logical replication slot and publication on the source, once made: how much WAL they hold, dropping them. */
public final class ReplicationSlots {

    /** A dropped walsender takes a moment to release its slot. */
    private static final long DROP_WAIT_MILLIS = 10_000;

    private ReplicationSlots() {}

    /**
     * Drops the slot (terminating a walsender that still streams from it), the publication and, on a
     * source before PostgreSQL 14, the slot's marker table ({@link WalMarker}); whatever is already gone
     * is skipped, so a retry is harmless. The slots and publications of the job database's other replication
     * groups ({@link ReplicationGroups}: the same names with {@code _g<k>}) go too, whatever the number the
     * job has now.
     */
    public static void dropSlotAndPublication(PgConnector connector, ConnectionProfile profile, String database,
                                              String slotName, String publicationName) throws SQLException {
        Connection conn;
        try {
            conn = connector.open(profile, database);
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) {
                return; // no database: nor a logical slot on it (DROP DATABASE refuses one) nor a publication
            }
            throw e;
        }
        try (conn) {
            dropSlot(conn, slotName);
            for (String groupSlot : ReplicationGroups.extraSlots(conn, slotName)) {
                dropSlot(conn, groupSlot);
            }
            try (Statement st = conn.createStatement()) {
                st.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(publicationName));
                for (String groupPublication : ReplicationGroups.extraPublications(conn, publicationName)) {
                    st.execute("DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(groupPublication));
                }
            }
            if (WalMarker.needsTable(conn.getMetaData().getDatabaseMajorVersion() * 10000)) {
                WalMarker.dropTable(conn, slotName);
            }
        }
    }

    public static boolean exists(Connection conn, String slotName) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void dropSlot(Connection conn, String slotName) throws SQLException {
        long deadline = System.currentTimeMillis() + DROP_WAIT_MILLIS;
        while (true) {
            try (PreparedStatement terminate = conn.prepareStatement(
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL");
                 PreparedStatement drop = conn.prepareStatement(
                         "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                terminate.setString(1, slotName);
                terminate.executeQuery().close();
                drop.setString(1, slotName);
                drop.executeQuery().close();
                return;
            } catch (SQLException e) {
                if ("42704".equals(e.getSQLState())) {
                    return; // dropped by someone else meanwhile
                }
                // 55006: still active, its terminated walsender has not exited yet
                if (!"55006".equals(e.getSQLState()) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while dropping replication slot " + slotName, e);
            }
        }
    }
}
