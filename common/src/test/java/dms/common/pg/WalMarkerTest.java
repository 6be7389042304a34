package dms.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.sql.Lsn;
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

/** Markers on a PostgreSQL 12 source (a row of the slot's marker table) and on 15 (a logical decoding message). */
class WalMarkerTest {

    private static final String SLOT = "dms_job_1_0a1b2c3d";
    private static PgCluster pg12;
    private static PgCluster pg15;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dms-walmarker-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        pg12 = new PgCluster("pg12", dir.resolve("pg12"), 12).setting("wal_level", "logical").start();
        pg15 = new PgCluster("pg15", dir.resolve("pg15")).setting("wal_level", "logical").start();
        pg12.execute("postgres", "CREATE TABLE t (id int PRIMARY KEY)");
    }

    @AfterAll
    static void stop() {
        pg12.close();
        pg15.close();
    }

    @Test
    void beforeFourteenAMarkerIsARowCommittedAloneAfterEveryEarlierCommitAndBeforeItsOwn() throws SQLException {
        try (Connection c = pg12.connect("postgres")) {
            WalMarker.createTable(c, SLOT);
            pg12.execute("postgres", "INSERT INTO t VALUES (1)");
            Lsn earlierCommit = Lsn.parse(pg12.queryForString("postgres", "SELECT pg_current_wal_lsn()"));
            Lsn marker = WalMarker.emit(c, SLOT, SLOT + ":one");
            Lsn after = Lsn.parse(pg12.queryForString("postgres", "SELECT pg_current_wal_insert_lsn()"));
            assertFalse(earlierCommit.isAfter(marker), "the marker's LSN " + marker + " is after the earlier commit " + earlierCommit);
            assertTrue(after.isAfter(marker), "its own commit comes after the LSN it returns");
            assertEquals(SLOT + ":one", pg12.queryForString("postgres", "SELECT token FROM " + WalMarker.qualifiedTable(SLOT)));

            WalMarker.emit(c, SLOT, SLOT + ":two");
            assertEquals("1", pg12.queryForString("postgres", "SELECT count(*) FROM " + WalMarker.qualifiedTable(SLOT)), "one row per slot");
            assertEquals(SLOT + ":two", pg12.queryForString("postgres", "SELECT token FROM " + WalMarker.qualifiedTable(SLOT)));
            assertTrue(c.getAutoCommit());

            c.setAutoCommit(false);
            assertThrows(IllegalStateException.class, () -> WalMarker.emit(c, SLOT, "inside a transaction"),
                    "a row written inside the caller's transaction would commit (or roll back) with it");
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @Test
    void theMarkerTableGoesAndItsSchemaWithItWhenNothingElseIsInIt() throws SQLException {
        pg12.createDatabase("drops");
        try (Connection c = pg12.connect("drops")) {
            WalMarker.createTable(c, "dms_a_00000001");
            WalMarker.createTable(c, "dms_b_00000002");
            WalMarker.dropTable(c, "dms_a_00000001");
            assertEquals("dms_b_00000002_marker", pg12.queryForString("drops",
                    "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'dms_internal'"), "the other slot's stays");
            WalMarker.dropTable(c, "dms_b_00000002");
            WalMarker.dropTable(c, "dms_b_00000002"); // again: harmless
            assertEquals("0", pg12.queryForString("drops", "SELECT count(*) FROM pg_namespace WHERE nspname = 'dms_internal'"),
                    "the schema went with its last table");
        }
    }

    @Test
    void aTableOrSchemaTheMigrationDidNotCreateIsNeverDroppedNorTakenOver() throws SQLException {
        pg12.createDatabase("users_own");
        pg12.execute("users_own", "CREATE SCHEMA dms_internal; CREATE TABLE dms_internal.dms_u_00000003_marker (id int)");
        try (Connection c = pg12.connect("users_own")) {
            assertThrows(SQLException.class, () -> WalMarker.createTable(c, "dms_u_00000003"), "a table of that name is not ours");
            WalMarker.dropTable(c, "dms_u_00000003");
            WalMarker.createTable(c, "dms_v_00000004");
            WalMarker.dropTable(c, "dms_v_00000004");
        }
        assertEquals("dms_u_00000003_marker", pg12.queryForString("users_own",
                "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'dms_internal'"), "the user's table stays");
        pg12.execute("users_own", "DROP TABLE dms_internal.dms_u_00000003_marker");
        try (Connection c = pg12.connect("users_own")) {
            WalMarker.createTable(c, "dms_w_00000005");
            WalMarker.dropTable(c, "dms_w_00000005");
        }
        assertEquals("1", pg12.queryForString("users_own", "SELECT count(*) FROM pg_namespace WHERE nspname = 'dms_internal'"),
                "a schema the user made stays, even empty");
    }

    @Test
    void fromFourteenAMarkerIsAMessageAndNeedsNoTable() throws SQLException {
        try (Connection c = pg15.connect("postgres")) {
            Lsn before = Lsn.parse(pg15.queryForString("postgres", "SELECT pg_current_wal_lsn()"));
            Lsn marker = WalMarker.emit(c, SLOT, SLOT + ":heartbeat");
            assertFalse(before.isAfter(marker));
            assertEquals("0", pg15.queryForString("postgres", "SELECT count(*) FROM pg_namespace WHERE nspname = 'dms_internal'"));
        }
    }

    @Test
    void theVersionDecides() {
        assertTrue(WalMarker.needsTable(100000));
        assertTrue(WalMarker.needsTable(130022));
        assertFalse(WalMarker.needsTable(140000));
        assertTrue(WalMarker.qualifiedTable(SLOT).length() - "dms_internal.".length() <= 63);
    }
}
