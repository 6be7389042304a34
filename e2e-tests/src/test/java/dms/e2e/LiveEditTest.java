package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Databases of a running job changed live: one added during CDC is dumped and joins CDC while
 * the others keep streaming; one removed stops replicating and its slot is dropped on the source.
 * A stopped job edited: the added database is dumped at the resume, the removed one cleaned up at
 * once. A running job switched from a list to all databases and back.
 * One database failed by DDL on the source is restarted alone; the other keeps its data.
 */
class LiveEditTest {

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @Test
    void databasesAddedAndRemovedWhileTheJobRuns() throws Exception {
        List<String> kept = List.of("live_a", "live_b", "live_c");
        List.of("live_a", "live_b", "live_c", "live_d").forEach(LiveEditTest::createSourceDatabase);
        createProfiles("live");
        createJob("live-1", "live", List.of("live_a", "live_b", "live_d")).then().statusCode(200);
        action("live-1", "start").then().statusCode(200);
        awaitStatus("live-1", "RUNNING/CDC", 120);

        // A name the source does not have is refused, naming it; nothing changes.
        patchDatabases("live-1", List.of("live_a", "live_b", "live_d", "no_such_db")).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("no_such_db"));

        // Add live_c: it is dumped while the others keep streaming, then joins CDC.
        patchDatabases("live-1", List.of("live_a", "live_b", "live_c", "live_d")).then().statusCode(200);
        write("live_a", 100);
        write("live_b", 100);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath p = job("live-1").jsonPath();
            assertEquals("RUNNING/CDC", p.getString("state") + "/" + p.getString("phase"), p.prettify());
            assertEquals(List.of("CDC", "CDC", "CDC", "CDC"), p.getList("databaseProgress.phase"), p.prettify());
        });
        write("live_c", 100);
        for (String db : kept) {
            awaitEqual(db);
        }

        // Remove live_d mid-CDC: its slot goes from the source, the others keep replicating, live_d's data stays.
        patchDatabases("live-1", kept).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals("0", sourceQuery("live_d",
                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_live_1_%' AND database = 'live_d'"),
                        "the removed database's slot on the source"));
        assertEquals(3, job("live-1").jsonPath().getList("databaseProgress").size());
        String removedRows = destinationQuery("live_d", "SELECT count(*) FROM items");
        write("live_a", 50);
        write("live_d", 50);
        awaitEqual("live_a");
        assertEquals(removedRows, destinationQuery("live_d", "SELECT count(*) FROM items"), "a removed database is not followed");
        assertEquals("0", sourceQuery("live_d", "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'dms_live_1_%'"));

        write("live_b", 10);
        write("live_c", 10);
        action("live-1", "promote").then().statusCode(200);
        awaitStatus("live-1", "COMPLETED", 120);
        for (String db : kept) {
            assertEquals(checksum(TestStack.get().source(), db), checksum(TestStack.get().destination(), db), db);
        }
        assertEquals("0", sourceQuery("live_a", "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_live_1_%'"));
    }

    @Test
    void oneFailedDatabaseIsRestartedAlone() throws Exception {
        createSourceDatabase("rs_a");
        createSourceDatabase("rs_b");
        createProfiles("rs");
        createJob("rs-1", "rs", List.of("rs_a", "rs_b")).then().statusCode(200);
        action("rs-1", "start").then().statusCode(200);
        awaitStatus("rs-1", "RUNNING/CDC", 120);
        // A table only the destination has: a restart of rs_a would wipe it.
        TestStack.get().destination().execute("rs_a", "CREATE TABLE kept_marker (id int); INSERT INTO kept_marker VALUES (1)");

        // DDL on the source during CDC fails rs_b's stream, naming the table, instead of applying wrong data.
        TestStack.get().source().execute("rs_b", "ALTER TABLE items ADD COLUMN extra int; INSERT INTO items (v, extra) VALUES ('after ddl', 7)");
        awaitStatus("rs-1", "FAILED/CDC", 90);
        JsonPath failed = job("rs-1").jsonPath();
        assertTrue(failed.getString("error.message").contains("items"), failed.prettify());
        assertTrue(failed.getString("error.message").contains("rs_b"), failed.prettify());

        request().body(Map.of("databases", List.of("rs_b"))).post("/v1/migration-jobs/rs-1:restart").then().statusCode(200);
        awaitStatus("rs-1", "RUNNING/CDC", 120);
        write("rs_a", 100);
        write("rs_b", 100);
        awaitEqual("rs_a");
        awaitEqual("rs_b");
        assertEquals("1", destinationQuery("rs_a", "SELECT count(*) FROM kept_marker"), "rs_a was not restarted");
        assertEquals("7", destinationQuery("rs_b", "SELECT extra FROM items WHERE v = 'after ddl'"), "rs_b copied again, new column and all");

        request().delete("/v1/migration-jobs/rs-1").then().statusCode(200);
        awaitStatus("rs-1", "404", 60);
        for (String db : List.of("rs_a", "rs_b")) {
            assertEquals("0", sourceQuery(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_rs_1_%'"), db);
            assertEquals("0", sourceQuery(db, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'dms_rs_1_%'"), db);
        }
    }

    @Test
    void databasesEditedWhileTheJobIsStoppedAreDumpedAtTheResumeAndCleanedUpAtOnce() throws Exception {
        List.of("st_a", "st_b", "st_c").forEach(LiveEditTest::createSourceDatabase);
        createProfiles("st");
        createJob("st-1", "st", List.of("st_a", "st_b")).then().statusCode(200);
        action("st-1", "start").then().statusCode(200);
        awaitStatus("st-1", "RUNNING/CDC", 120);
        action("st-1", "stop").then().statusCode(200);
        awaitStatus("st-1", "STOPPED/CDC", 90);

        // Add st_c, remove st_b: the job has a database to dump now, so nothing to promote until it is.
        patchDatabases("st-1", List.of("st_a", "st_c")).then().statusCode(200);
        awaitStatus("st-1", "STOPPED/FULL_DUMP", 20);
        assertFalse(job("st-1").jsonPath().getList("allowedActions").contains("PROMOTE"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals("0", sourceQuery("st_b",
                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_st_1_%' AND database = 'st_b'"),
                        "the removed database's slot, dropped while the job is stopped"));
        assertEquals("0", sourceQuery("st_b", "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'dms_st_1_%'"));
        assertEquals("0", sourceQuery("st_c",
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_st_1_%' AND database = 'st_c'"),
                "the added one waits for the resume");
        write("st_a", 100);

        action("st-1", "resume").then().statusCode(200);
        awaitStatus("st-1", "RUNNING/CDC", 120);
        assertEquals(List.of("st_a", "st_c"), job("st-1").jsonPath().getList("databaseProgress.database"));
        write("st_a", 50);
        write("st_c", 50);
        awaitEqual("st_a");
        awaitEqual("st_c");

        deleteWithPurge("st-1");
    }

    @Test
    void aRunningJobSwitchesFromAListToAllDatabasesAndBack() throws Exception {
        try (PgCluster own = ownSource("switch", List.of("sw_one", "sw_two"))) {
            createProfile("sw-src", own);
            createProfile("sw-dst", TestStack.get().destination());
            createJob("sw-1", "sw", List.of("sw_one")).then().statusCode(200);
            action("sw-1", "start").then().statusCode(200);
            awaitStatus("sw-1", "RUNNING/CDC", 120);

            patchDatabases("sw-1", List.of()).then().statusCode(200).body("response.databases", org.hamcrest.Matchers.empty())
                    .body("response.databaseProgress.database", org.hamcrest.Matchers.contains("sw_one", "sw_two"));
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonPath p = job("sw-1").jsonPath();
                assertEquals("RUNNING/CDC", p.getString("state") + "/" + p.getString("phase"), p.prettify());
                assertEquals(List.of("CDC", "CDC"), p.getList("databaseProgress.phase"), "all databases: " + p.prettify());
            });
            assertEquals("500", destinationQuery("sw_two", "SELECT count(*) FROM items"));

            patchDatabases("sw-1", List.of("sw_two")).then().statusCode(200).body("response.databases", org.hamcrest.Matchers.contains("sw_two"))
                    .body("response.databaseProgress.database", org.hamcrest.Matchers.contains("sw_two"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals("0", query(own, "sw_one",
                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_sw_1_%' AND database = 'sw_one'")));
            own.execute("sw_two", "INSERT INTO items (v) VALUES ('still followed')");
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals("1", destinationQuery("sw_two", "SELECT count(*) FROM items WHERE v = 'still followed'")));

            deleteWithPurge("sw-1");
        }
    }

    @Test
    void allDatabasesModePicksUpNewDatabasesAtRestart() throws Exception {
        try (PgCluster all = ownSource("all", List.of("alldb_one", "alldb_two"))) {
            createProfile("alldb-src", all);
            createProfile("alldb-dst", TestStack.get().destination());
            createJob("alldb-1", "alldb", List.of()).then().statusCode(200);
            action("alldb-1", "start").then().statusCode(200);
            awaitStatus("alldb-1", "RUNNING/CDC", 120);
            // The maintenance database "postgres" is left out.
            assertEquals(List.of("alldb_one", "alldb_two"), job("alldb-1").jsonPath().getList("databaseProgress.database"));

            all.createDatabase("alldb_three");
            all.execute("alldb_three", "CREATE TABLE items (id bigserial PRIMARY KEY, v text NOT NULL); INSERT INTO items (v) VALUES ('three')");
            action("alldb-1", "stop").then().statusCode(200);
            awaitStatus("alldb-1", "STOPPED/CDC", 90);
            action("alldb-1", "restart").then().statusCode(200);
            awaitStatus("alldb-1", "RUNNING/CDC", 120);
            assertEquals(List.of("alldb_one", "alldb_three", "alldb_two"), job("alldb-1").jsonPath().getList("databaseProgress.database"));
            assertEquals("three", destinationQuery("alldb_three", "SELECT v FROM items"));

            deleteWithPurge("alldb-1");
        }
    }

    /** A source server of its own, whose databases each hold 500 items: "all databases" takes every one of them. */
    private static PgCluster ownSource(String name, List<String> databases) throws java.io.IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-" + name + "-source-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PgCluster cluster = new PgCluster(name, dir).setting("wal_level", "logical").start();
        for (String db : databases) {
            cluster.createDatabase(db);
            cluster.execute(db, "CREATE TABLE items (id bigserial PRIMARY KEY, v text NOT NULL, at timestamptz NOT NULL DEFAULT now());"
                    + " INSERT INTO items (v) SELECT md5(i::text) FROM generate_series(1, 500) i");
        }
        return cluster;
    }

    private static void deleteWithPurge(String jobId) {
        request().delete("/v1/migration-jobs/" + jobId + "?purgeDestination=true").then().statusCode(200);
        awaitStatus(jobId, "404", 60);
    }

    private static io.restassured.response.Response patchDatabases(String jobId, List<String> databases) {
        return request().body(Map.of("databases", databases)).patch("/v1/migration-jobs/" + jobId);
    }

    private static void createSourceDatabase(String db) {
        PgCluster source = TestStack.get().source();
        source.createDatabase(db);
        source.execute(db, """
                CREATE TABLE items (id bigserial PRIMARY KEY, v text NOT NULL, at timestamptz NOT NULL DEFAULT now());
                INSERT INTO items (v) SELECT md5(i::text) FROM generate_series(1, 5000) i;
                """);
    }

    private static void write(String db, int rows) {
        TestStack.get().source().execute(db, "INSERT INTO items (v) SELECT 'live ' || i FROM generate_series(1, " + rows + ") i;"
                + " UPDATE items SET v = v || '+' WHERE id % 97 = 0");
    }

    private static void awaitEqual(String db) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertEquals(checksum(TestStack.get().source(), db), checksum(TestStack.get().destination(), db), "items of " + db));
    }

    private static String checksum(PgCluster cluster, String db) throws Exception {
        try (Connection c = cluster.connect(db)) {
            return TableChecksum.of(c, "public", "items", List.of("id")).toString();
        }
    }

    private static String sourceQuery(String db, String sql) throws Exception {
        return query(TestStack.get().source(), db, sql);
    }

    private static String destinationQuery(String db, String sql) throws Exception {
        return query(TestStack.get().destination(), db, sql);
    }

    private static String query(PgCluster cluster, String db, String sql) throws Exception {
        try (Connection c = cluster.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
