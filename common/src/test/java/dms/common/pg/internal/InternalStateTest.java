package dms.common.pg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.CopyUnit;
import dms.common.messages.TableName;
import dms.common.sql.Lsn;
import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The destination's internal state against a real server: its tables as destinations hold them, the fence, the position. */
class InternalStateTest {

    @TempDir
    static Path dir;
    private static PgCluster pg;

    @BeforeAll
    static void start() throws IOException {
        // As root, the cluster runs as the postgres user, who must enter the folder.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pg = new PgCluster("internal", dir.resolve("pg")).start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void everyStatementCanRunAgain() {
        for (String ddl : InternalSchema.ddl()) {
            assertTrue(ddl.startsWith("CREATE SCHEMA IF NOT EXISTS ") || ddl.startsWith("CREATE TABLE IF NOT EXISTS ")
                    || ddl.matches("ALTER TABLE \\S+ ADD COLUMN IF NOT EXISTS .*"), ddl);
        }
    }

    /** The names and types destinations of earlier versions hold: a job started before goes on with them. */
    @Test
    void tablesAreTheOnesExistingDestinationsHold() throws SQLException {
        pg.createDatabase("layout");
        try (Connection db = pg.connect("layout")) {
            InternalSchema.create(db);
            InternalSchema.create(db);
        }
        String columns = pg.queryForString("layout", "SELECT string_agg(table_name || '.' || column_name || ':' || udt_name, ' '"
                + " ORDER BY table_name, ordinal_position) FROM information_schema.columns WHERE table_schema = 'dms_internal'");
        assertEquals(String.join(" ",
                "cdc_position.job_id:text cdc_position.database:text cdc_position.commit_lsn:pg_lsn",
                "cdc_position.source_commit_time:timestamptz cdc_position.applied_at:timestamptz cdc_position.transactions:int8",
                "cdc_position.changes:int8 cdc_position.unmatched:int8",
                "copied_unit.job_id:text copied_unit.snapshot_name:text copied_unit.unit_no:int4 copied_unit.schema_name:text",
                "copied_unit.table_name:text copied_unit.sync_lsn:pg_lsn copied_unit.rows_copied:int8 copied_unit.bytes_copied:int8",
                "copied_unit.copied_at:timestamptz",
                "created_by_job.job_id:text created_by_job.run_epoch:int8 created_by_job.created_at:timestamptz",
                "dump_fence.job_id:text dump_fence.snapshot_name:text dump_fence.sync_lsn:pg_lsn dump_fence.set_at:timestamptz",
                "schema_dump.job_id:text schema_dump.run_epoch:int8 schema_dump.dump:bytea schema_dump.taken_at:timestamptz",
                "schema_dump.post_data_done_at:timestamptz"), columns);
    }

    /** A destination an earlier version marked (its ownership table only) keeps its rows and gets the rest. */
    @Test
    void anEarlierDestinationKeepsItsRows() throws SQLException {
        pg.createDatabase("earlier");
        pg.execute("earlier", "CREATE SCHEMA dms_internal; CREATE TABLE dms_internal.created_by_job (job_id text PRIMARY KEY,"
                + " run_epoch bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
                + " INSERT INTO dms_internal.created_by_job VALUES ('old-job', 3)");
        try (Connection db = pg.connect("earlier")) {
            InternalSchema.create(db);
            assertTrue(DatabaseOwnership.createdBy(db, "old-job"));
            DumpFence.set(db, "old-job", "snap", "0/10");
        }
        assertEquals("3", pg.queryForString("earlier", "SELECT run_epoch FROM dms_internal.created_by_job"));
    }

    @Test
    void aCopyCommitsOnlyUnderTheJobsCurrentSnapshot() throws SQLException {
        pg.createDatabase("fence");
        CopyUnit first = unit(0, "orders");
        CopyUnit second = unit(1, "orders");
        try (Connection db = pg.connect("fence")) {
            InternalSchema.create(db);
            DumpFence.set(db, "job", "snap-1", "0/100");
            CopiedUnits.record(db, "job", "snap-1", "0/100", first, 10, 1000);
            assertArrayEquals(new long[] {10, 1000}, CopiedUnits.find(db, "job", "snap-1", 0));
            assertNull(CopiedUnits.find(db, "job", "snap-1", 1));

            DumpFence.set(db, "job", "snap-2", "0/200");
            assertThrows(SupersededCopyException.class, () -> CopiedUnits.record(db, "job", "snap-1", "0/100", second, 5, 500));
            CopiedUnits.record(db, "job", "snap-2", "0/200", second, 5, 500);
            CopiedUnits.record(db, "job", "snap-2", "0/200", unit(2, "lines"), 1, 1);
            assertEquals(Map.of(new TableName("public", "orders"), Lsn.parse("0/200"), new TableName("public", "lines"),
                    Lsn.parse("0/200")), CopiedUnits.syncLsns(db, "job"));
            assertEquals(Map.of(), CopiedUnits.syncLsns(db, "another-job"));

            CopiedUnits.forget(db, "job", List.of(new TableName("public", "orders")));
            assertEquals(Map.of(new TableName("public", "lines"), Lsn.parse("0/200")), CopiedUnits.syncLsns(db, "job"));
        }
    }

    @Test
    void theSchemaDumpOfTheLatestRun() throws SQLException {
        pg.createDatabase("dumps");
        try (Connection db = pg.connect("dumps")) {
            assertThrows(SQLException.class, () -> SchemaDumps.load(db, "job"));
            SchemaDumps.save(db, "job", 1, new byte[] {1});
            SchemaDumps.save(db, "job", 2, new byte[] {2});
            assertArrayEquals(new byte[] {2}, SchemaDumps.load(db, "job"));
            assertFalse(SchemaDumps.postDataDone(db, "job"));
            SchemaDumps.markPostDataDone(db, "job");
            assertTrue(SchemaDumps.postDataDone(db, "job"));
        }
    }

    @Test
    void thePositionIsNoneUntilWrittenThenAdds() throws Exception {
        pg.createDatabase("position");
        PositionStore store = new PositionStore("job", "position");
        try (Connection db = pg.connect("position")) {
            assertEquals(AppliedPosition.NONE, store.read(db), "no dms_internal yet");
            assertEquals(Map.of(), CopiedUnits.syncLsns(db, "job"), "nothing copied yet");
            InternalSchema.create(db);
            assertEquals(AppliedPosition.NONE, store.read(db));

            try (Statement st = db.createStatement()) {
                // A destination of an earlier version: its position table has no unmatched count yet.
                st.execute("ALTER TABLE " + InternalSchema.CDC_POSITION + " DROP COLUMN unmatched");
            }
            InternalSchema.create(db);

            db.setAutoCommit(false);
            store.write(db, Lsn.parse("0/300"), Instant.parse("2026-01-01T00:00:00Z"), 2, 7, 1);
            AppliedPosition next = store.write(db, Lsn.parse("0/400"), null, 1, 3, 2);
            db.commit();
            db.setAutoCommit(true);
            assertEquals(3, next.transactions());
            assertEquals(10, next.changes());
            assertEquals(3, next.unmatched(), "counted with the position");
            assertEquals(next, store.read(db));
            assertEquals(AppliedPosition.NONE, new PositionStore("job", "other").read(db));

            assertTrue(store.await(db, Lsn.parse("0/400"), Duration.ZERO));
            assertFalse(store.await(db, Lsn.parse("0/401"), Duration.ofMillis(300)));
        }
    }

    private static CopyUnit unit(int no, String table) {
        return new CopyUnit(no, "public", table, List.of("id"), null, 0, 0, 0);
    }
}
