package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ReplicationNames;
import dms.common.pg.WalMarker;
import dms.common.verify.TableChecksum;
import dms.devstack.CommonTypes;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Servers of other majors than the stack's (15): a migration between them takes the common-types set through the
 * dump and CDC, a stop and resume, a data check while CDC runs, and promote, with the tables equal at each step
 * (docs/versions.md). A source before 14 takes the marker-table path for heartbeats, verify and promote's drain; with
 * cdcParallelism 2 (a second table, so two replication groups) the one marker table is in both groups' publications.
 */
class VersionsTest {

    private static final List<PgCluster> OWN = new ArrayList<>();

    @BeforeAll
    static void services() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @AfterAll
    static void stopOwnClusters() {
        OWN.forEach(PgCluster::close);
    }

    @ParameterizedTest(name = "source {0} -> destination {1}, cdcParallelism {2}")
    @CsvSource({"12, 15, 1", "15, 17, 1", "12, 15, 2"})
    void theCommonTypesSetMigratesThroughDumpCdcStopResumeAndPromote(int sourceMajor, int destinationMajor, int groups) throws Exception {
        PgCluster source = cluster(sourceMajor, "source", true);
        PgCluster destination = cluster(destinationMajor, "destination", false);
        String prefix = "v" + sourceMajor + "to" + destinationMajor + (groups > 1 ? "g" + groups : "");
        String db = prefix + "_db";
        String jobId = prefix + "-1";
        source.createDatabase(db);
        source.execute(db, CommonTypes.SCHEMA);
        source.execute(db, "CREATE TABLE extra (id int PRIMARY KEY, n int); INSERT INTO extra VALUES (1, 1)");
        createProfile(prefix + "-src", source);
        createProfile(prefix + "-dst", destination);
        request().body(java.util.Map.of("id", jobId, "source", prefix + "-src", "destination", prefix + "-dst", "databases", List.of(db),
                "cdcParallelism", groups)).post("/v1/migration-jobs").then().statusCode(200);

        action(jobId, "start").then().statusCode(200);
        awaitStatus(jobId, "RUNNING/CDC", 120);
        awaitEqual(source, destination, db);
        String markerTable = WalMarker.table(ReplicationNames.slot(jobId, db));
        assertEquals(sourceMajor < 14 ? String.valueOf(groups) : "0", source.queryForString(db, "SELECT count(*) FROM pg_publication_tables"
                + " WHERE schemaname = 'dms_internal' AND tablename = '" + markerTable + "'"),
                "before 14 the markers take a table of the job's publication (of every group's); from 14 on, logical decoding messages");
        assertEquals(String.valueOf(groups), source.queryForString(db, "SELECT count(*) FROM pg_replication_slots WHERE database = '" + db + "'"),
                "a slot per replication group");
        assertEquals("0", destination.queryForString(db, "SELECT count(*) FROM pg_tables WHERE tablename = '" + markerTable + "'"),
                "the marker table is never copied");
        List<String> changes = CommonTypes.changes(sourceMajor);
        changes.subList(0, 8).forEach(sql -> source.execute(db, sql));
        source.execute(db, "BEGIN; INSERT INTO extra VALUES (2, 2); UPDATE types SET t = 'with extra' WHERE id = 1; COMMIT");
        awaitEqual(source, destination, db);

        action(jobId, "stop").then().statusCode(200);
        awaitStatus(jobId, "STOPPED/CDC", 60);
        changes.subList(8, changes.size()).forEach(sql -> source.execute(db, sql));
        action(jobId, "resume").then().statusCode(200);
        awaitStatus(jobId, "RUNNING/CDC", 60);
        awaitEqual(source, destination, db);
        JsonPath check = verifyData(jobId); // while CDC runs: each chunk after a marker (cdc.md#markers)
        assertTrue(check.getString("notes[0]").contains("compared while CDC runs"), check.prettify());
        assertEquals(List.of("extra", "types"), check.getList("tables.table"), "the marker table is not the user's: " + check.prettify());
        assertEquals(List.of("EQUAL", "EQUAL"), check.getList("tables.result"), check.prettify());

        source.execute(db, "INSERT INTO types (id, t) VALUES (100, 'just before promote'); INSERT INTO extra VALUES (3, 3)");
        action(jobId, "promote").then().statusCode(200);
        awaitStatus(jobId, "COMPLETED", 120);
        assertEqual(source, destination, db);
        assertEquals("0", source.queryForString(db, "SELECT count(*) FROM pg_replication_slots WHERE database = '" + db + "'"),
                "slot dropped at promote");
        assertEquals("0", source.queryForString(db, "SELECT count(*) FROM pg_tables WHERE tablename = '" + markerTable + "'"),
                "the marker table dropped with the publication");
        request().delete("/v1/migration-jobs/" + jobId).then().statusCode(200);
    }

    /** The stack's cluster when it is that major, else one of our own (a source with logical WAL). */
    private static PgCluster cluster(int major, String role, boolean source) throws Exception {
        PgCluster stack = source ? TestStack.get().source() : TestStack.get().destination();
        if (major == Integer.parseInt(stack.queryForString("postgres", "SHOW server_version_num")) / 10000) {
            return stack;
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-pg" + major + "-" + role + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PgCluster cluster = new PgCluster("pg" + major + "-" + role, dir, major);
        if (source) {
            cluster.setting("wal_level", "logical");
        }
        OWN.add(cluster.start());
        return cluster;
    }

    private static void awaitEqual(PgCluster source, PgCluster destination, String db) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertEqual(source, destination, db));
    }

    private static void assertEqual(PgCluster source, PgCluster destination, String db) throws Exception {
        try (Connection src = source.connect(db); Connection dst = destination.connect(db)) {
            assertEquals(TableChecksum.of(src, "public", "types", List.of("id")), TableChecksum.of(dst, "public", "types", List.of("id")),
                    "types equal on both sides");
            assertEquals(TableChecksum.of(src, "public", "extra", List.of("id")), TableChecksum.of(dst, "public", "extra", List.of("id")),
                    "extra equal on both sides");
        }
    }
}
