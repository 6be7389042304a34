package dms.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A slot as the source reports it: the WAL it retains, the bound on it, and its invalidation once past the bound. */
class SlotHealthTest {

    private static PgCluster source;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dms-slot-health-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // One 16 MB WAL segment may be kept for a slot: the third segment after its restart_lsn invalidates it.
        source = new PgCluster("slot-health", dir.resolve("source")).setting("wal_level", "logical")
                .setting("max_slot_wal_keep_size", "16MB").start();
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    @Test
    void aSlotPastMaxSlotWalKeepSizeIsInvalidatedAndSaysWhy() throws SQLException {
        source.execute("postgres", "SELECT pg_create_logical_replication_slot('health_lost', 'pgoutput')");
        try (Connection c = source.connect("postgres")) {
            SlotHealth fresh = SlotHealth.probe(c, "health_lost").orElseThrow();
            assertFalse(fresh.invalidated(), fresh.toString());
            assertEquals(16L * 1024 * 1024, fresh.maxSlotWalKeepSizeBytes());
            assertTrue(fresh.retainedWalBytes() >= 0, fresh.toString());

            for (int i = 0; i < 3; i++) {
                source.execute("postgres", "SELECT pg_logical_emit_message(false, 'test', 'x'); SELECT pg_switch_wal()");
            }
            SlotHealth retaining = SlotHealth.probe(c, "health_lost").orElseThrow();
            assertTrue(retaining.retainedWalBytes() > 2L * 16 * 1024 * 1024, retaining.toString());
            source.execute("postgres", "CHECKPOINT");

            SlotHealth lost = SlotHealth.probe(c, "health_lost").orElseThrow();
            assertTrue(lost.invalidated(), lost.toString());
            assertNull(lost.retainedWalBytes(), "an invalidated slot has no restart_lsn");
            assertEquals("slot health_lost on the source was invalidated (wal_status lost: the source removed WAL the job had"
                    + " not read, max_slot_wal_keep_size = 16MB): the changes since are lost; restart the database"
                    + " (`:restart {\"databases\": [\"orders\"]}`) to copy it again", lost.invalidationMessage("orders"));
        } finally {
            source.execute("postgres", "SELECT pg_drop_replication_slot('health_lost')");
        }
    }

    @Test
    void noSuchSlot() throws SQLException {
        try (Connection c = source.connect("postgres")) {
            assertTrue(SlotHealth.probe(c, "health_none").isEmpty());
        }
    }

    @Test
    void theReasonsPostgresql17Gives() {
        SlotHealth standby = new SlotHealth("s", null, "lost", "rows_removed", null, -1);
        assertTrue(standby.invalidated());
        assertTrue(standby.invalidationMessage("db").startsWith("slot s on the source was invalidated (invalidation_reason"
                + " rows_removed: rows the slot still needed were removed"), standby.invalidationMessage("db"));
        assertFalse(new SlotHealth("s", 10L, "extended", null, null, -1).invalidated());
        assertFalse(new SlotHealth("s", 10L, null, null, null, -1).invalidated(), "before 13: never invalidated");
    }

    @Test
    void sizesReadAsPostgresqlWritesThem() {
        assertEquals("9000 bytes", PgSize.pretty(9000));
        assertEquals("50 MB", PgSize.pretty(50L * 1024 * 1024));
        assertEquals("10 GB", PgSize.pretty(10L * 1024 * 1024 * 1024));
    }
}
