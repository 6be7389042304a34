package dms.e2e;

import static dms.e2e.Api.*;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failure stays where it happens (docs/state-machine.md): a job of three databases, one of which
 * fails (its destination table refuses every row: a trigger planted by {@link TriggerOnCreate}
 * raises a check violation, which no retry can fix). The job shows FAILED with that database and
 * its error, while the two others finish their dump, follow the source and apply what is written
 * there meanwhile. Once the cause is gone, a restart of the failed database alone brings the job
 * back to RUNNING/CDC, every table equal on both sides, and the two healthy databases were never
 * copied again (their destination databases and tables are the same objects, their rows copied the same).
 */
class FailureIsolationTest {

    private static final String JOB = "fi-1";
    private static final List<String> HEALTHY = List.of("fi_a", "fi_b");
    private static final String BAD = "fi_bad";
    private static final int ROWS = 20_000;
    /** Each database's tables with their keys: one without a key (REPLICA IDENTITY FULL), where a change applied twice shows. */
    private static final Map<String, List<String>> TABLES = new LinkedHashMap<>(Map.of("items", List.of("id"), "notes", List.of()));

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @Test
    void aFailedDatabaseLeavesTheOthersStreamingAndARestartOfItAloneBringsTheJobBack() throws Exception {
        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        for (String db : List.of("fi_a", "fi_b", BAD)) {
            sourceDatabase(source, db);
        }
        faultyDestination(destination, BAD);
        createProfiles("fi");
        createJob(JOB, "fi", List.of("fi_a", "fi_b", BAD)).then().statusCode(200);
        long t0 = System.nanoTime();
        action(JOB, "start").then().statusCode(200);

        // 1. fi_bad fails; the job shows it, with its error, and only it.
        awaitStatus(JOB, "FAILED/FULL_DUMP", 120);
        System.out.printf("FailureIsolationTest: FAILED/FULL_DUMP after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        JsonPath failed = job(JOB).then().statusCode(200).extract().jsonPath();
        String error = failed.getString("error.message");
        assertTrue(error.startsWith("database " + BAD + ": table public.items: ") && error.contains("refused by the test"), error);
        assertFalse(error.contains("database fi_a:") || error.contains("database fi_b:"), error);
        assertEquals("FAILED", progress(failed, BAD).get("lastSignal"));
        assertTrue(String.valueOf(progress(failed, BAD).get("error")).contains("refused by the test"), progress(failed, BAD).toString());

        // 2. The others finish their dump and follow the source while the job is FAILED.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonPath doc = job(JOB).jsonPath();
            return HEALTHY.stream().allMatch(db -> "CDC".equals(progress(doc, db).get("phase")));
        });
        assertEquals("FAILED/FULL_DUMP", status(JOB), "fi_bad's dump is not complete");
        for (String db : HEALTHY) {
            writeChanges(source, db, ROWS + 1);
        }
        awaitTablesEqual(HEALTHY, 90);
        JsonPath streaming = job(JOB).then().statusCode(200).extract().jsonPath();
        assertEquals("FAILED/FULL_DUMP", status(JOB));
        Map<String, String> identities = new LinkedHashMap<>();
        Map<String, Object> rowsCopied = new LinkedHashMap<>();
        for (String db : HEALTHY) {
            identities.put(db, identity(destination, db));
            rowsCopied.put(db, progress(streaming, db).get("rowsCopied"));
            assertNull(progress(streaming, db).get("error"), db + " has no error");
        }
        System.out.printf("FailureIsolationTest: while FAILED, %s applied the changes written to the source%n", HEALTHY);

        // 3. Promote is refused while a database is failed.
        action(JOB, "promote").then().statusCode(409);

        // 4. The cause removed (the owner drops the database with the fault), fi_bad alone is restarted.
        destination.execute("postgres", "DROP DATABASE " + BAD + " WITH (FORCE)");
        long restartAt = System.nanoTime();
        request().body(Map.of("databases", List.of(BAD))).post("/v1/migration-jobs/" + JOB + ":restart").then().statusCode(200);
        awaitStatus(JOB, "RUNNING/CDC", 120);
        System.out.printf("FailureIsolationTest: restart of %s to RUNNING/CDC in %d ms%n", BAD, (System.nanoTime() - restartAt) / 1_000_000);
        for (String db : List.of("fi_a", "fi_b", BAD)) {
            writeChanges(source, db, ROWS + 101);
        }
        awaitTablesEqual(List.of("fi_a", "fi_b", BAD), 90);

        JsonPath after = job(JOB).then().statusCode(200).extract().jsonPath();
        assertNull(after.get("error"), "the job's error is gone");
        for (String db : HEALTHY) {
            assertEquals(identities.get(db), identity(destination, db), db + " was not copied again: same database and tables");
            assertEquals(rowsCopied.get(db), progress(after, db).get("rowsCopied"), db + "'s copy is the first one");
        }
        request().delete("/v1/migration-jobs/" + JOB + "?purgeDestination=true").then().statusCode(200);
        awaitStatus(JOB, "404", 60);
    }

    /** From FAILED, stop halts the databases that go on: the job settles in STOPPED once their streams have stopped. */
    @Test
    void aStopOfAFailedJobStopsTheOthers() {
        PgCluster source = TestStack.get().source();
        for (String db : List.of("fis_ok", "fis_bad")) {
            sourceDatabase(source, db);
        }
        faultyDestination(TestStack.get().destination(), "fis_bad");
        createProfiles("fis");
        createJob("fis-1", "fis", List.of("fis_ok", "fis_bad")).then().statusCode(200);
        action("fis-1", "start").then().statusCode(200);
        awaitStatus("fis-1", "FAILED/FULL_DUMP", 120);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "RESUMED".equals(progress(job("fis-1").jsonPath(), "fis_ok").get("lastSignal")));
        action("fis-1", "stop").then().statusCode(200);
        awaitStatus("fis-1", "STOPPED/FULL_DUMP", 60);
        JsonPath stopped = job("fis-1").then().statusCode(200).extract().jsonPath();
        assertEquals("STOPPED", progress(stopped, "fis_ok").get("lastSignal"), "its stream stopped");
        assertEquals("FAILED", progress(stopped, "fis_bad").get("lastSignal"), "still shown failed");
        request().delete("/v1/migration-jobs/fis-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("fis-1", "404", 60);
    }

    private static void sourceDatabase(PgCluster source, String db) {
        source.createDatabase(db);
        source.execute(db, "CREATE TABLE items (id int PRIMARY KEY, v text);"
                + " INSERT INTO items SELECT i, repeat(md5(i::text), 3) FROM generate_series(1, " + ROWS + ") i;"
                + " CREATE TABLE notes (v text); ALTER TABLE notes REPLICA IDENTITY FULL;"
                + " INSERT INTO notes SELECT 'note ' || i FROM generate_series(1, 100) i; ANALYZE");
    }

    /**
     * A destination database, made ahead (empty of tables, so the dump accepts it) with a fault:
     * once the dump creates {@code items}, every row inserted is refused with a check violation.
     */
    private static void faultyDestination(PgCluster destination, String db) {
        destination.createDatabase(db);
        destination.execute(db, """
                CREATE SCHEMA fault;
                CREATE FUNCTION fault.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'row refused by the test' USING ERRCODE = 'check_violation';
                END $$""");
        TriggerOnCreate.arm(destination, db, "fault", "public.items", "refuse", "BEFORE INSERT ... FOR EACH ROW", "fault.refuse");
    }

    /** Inserts, updates and deletes in both tables, from id {@code first} on. */
    private static void writeChanges(PgCluster source, String db, int first) {
        source.execute(db, "INSERT INTO items SELECT i, 'new ' || i FROM generate_series(" + first + ", " + (first + 99) + ") i;"
                + " UPDATE items SET v = 'changed' WHERE id % 1000 = 0; DELETE FROM items WHERE id % 997 = 0;"
                + " INSERT INTO notes SELECT 'later ' || i FROM generate_series(" + first + ", " + (first + 9) + ") i;"
                + " UPDATE notes SET v = v || '!' WHERE v = 'note 7'; DELETE FROM notes WHERE v = 'note 8'");
    }

    private static void awaitTablesEqual(List<String> databases, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String db : databases) {
                try (Connection src = TestStack.get().source().connect(db); Connection dst = TestStack.get().destination().connect(db)) {
                    for (Map.Entry<String, List<String>> t : TABLES.entrySet()) {
                        assertEquals(TableChecksum.of(src, "public", t.getKey(), t.getValue()),
                                TableChecksum.of(dst, "public", t.getKey(), t.getValue()), db + "." + t.getKey() + " equal on both sides");
                    }
                }
            }
        });
    }

    /** The destination database's and its tables' identities (oid, relfilenodes): a re-copy would make new ones. */
    private static String identity(PgCluster destination, String db) {
        return destination.queryForString("postgres", "SELECT oid FROM pg_database WHERE datname = '" + db + "'") + " "
                + destination.queryForString(db, "SELECT string_agg(relname || '=' || relfilenode, ',' ORDER BY relname)"
                        + " FROM pg_class WHERE relname IN ('items', 'notes') AND relkind = 'r'");
    }

    private static Map<String, Object> progress(JsonPath doc, String db) {
        List<Map<String, Object>> all = doc.getList("databaseProgress");
        return all.stream().filter(p -> db.equals(p.get("database"))).findFirst()
                .orElseThrow(() -> new AssertionError(db + " not in " + all));
    }
}
