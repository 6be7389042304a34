package dms.common.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A job's replication slot as the source sees it: the WAL it retains, whether the source has
 * invalidated it, and the source's bound on retained WAL ({@code max_slot_wal_keep_size}).
 * PostgreSQL reports {@code wal_status} from 13 on and {@code invalidation_reason} from 17 on;
 * before 13 a slot is never invalidated (it retains WAL without bound).
 *
 * @param retainedWalBytes {@code pg_current_wal_lsn() - restart_lsn}; null once invalidated (no restart_lsn)
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}; null before 13
 * @param invalidationReason e.g. {@code wal_removed}; null when valid or before 17
 * @param maxSlotWalKeepSize the setting as the server shows it (e.g. {@code 64MB}); null when unlimited or before 13
 * @param maxSlotWalKeepSizeBytes the same in bytes; -1 (PostgreSQL's own word for it) when unlimited or before 13
 */
public record SlotHealth(String slotName, Long retainedWalBytes, String walStatus, String invalidationReason,
                         String maxSlotWalKeepSize, long maxSlotWalKeepSizeBytes) {

    /** The slot's state, or empty when the source has no such slot. */
    public static Optional<SlotHealth> probe(Connection source, String slotName) throws SQLException {
        int version = source.getMetaData().getDatabaseMajorVersion();
        String status = version >= 13 ? "wal_status" : "NULL::text";
        String reason = version >= 17 ? "invalidation_reason" : "NULL::text";
        // current_setting(name, true) is null where the setting does not exist (before 13); -1 means unlimited.
        try (PreparedStatement ps = source.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, "
                + status + ", " + reason + ", current_setting('max_slot_wal_keep_size', true),"
                + " pg_size_bytes(current_setting('max_slot_wal_keep_size', true))"
                + " FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long retained = rs.getLong(1);
                Long retainedOrNull = rs.wasNull() ? null : retained;
                long limit = rs.getLong(5);
                boolean unlimited = rs.wasNull() || limit < 0;
                return Optional.of(new SlotHealth(slotName, retainedOrNull, rs.getString(2), rs.getString(3),
                        unlimited ? null : rs.getString(4), unlimited ? -1 : limit));
            }
        }
    }

    /** The source invalidated the slot: it can never stream again, the changes since are lost. */
    public boolean invalidated() {
        return "lost".equals(walStatus) || invalidationReason != null;
    }

    /** What happened and the way out, for the database's error. */
    public String invalidationMessage(String database) {
        String what = invalidationReason != null ? "invalidation_reason " + invalidationReason : "wal_status " + walStatus;
        return "slot " + slotName + " on the source was invalidated (" + what + ": " + cause()
                + "): the changes since are lost; restart the database (`:restart {\"databases\": [\"" + database
                + "\"]}`) to copy it again";
    }

    private String cause() {
        String reason = invalidationReason == null ? "wal_removed" : invalidationReason;
        return switch (reason) {
            case "wal_removed" -> "the source removed WAL the job had not read"
                    + (maxSlotWalKeepSize != null ? ", max_slot_wal_keep_size = " + maxSlotWalKeepSize : "");
            case "rows_removed" -> "rows the slot still needed were removed (a conflict on a standby)";
            case "wal_level_insufficient" -> "wal_level on the primary is below logical";
            case "idle_timeout" -> "the slot was idle longer than idle_replication_slot_timeout";
            default -> reason;
        };
    }
}
