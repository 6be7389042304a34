package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Verify: before start, the pre-flight report of the source and destination (an extra cluster
 * plays a badly set-up source); from CDC on, the data check of every table on both sides.
 */
class VerifyTest {

    private static Path badSourceDir;
    private static PgCluster badSource;

    @AfterAll
    static void stopExtraCluster() throws IOException {
        if (badSource != null) {
            badSource.close();
            try (Stream<Path> files = Files.walk(badSourceDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void preflightReportsExactlyWhatIsWrongWithASourceAndNothingForAGoodPair() throws IOException {
        TestStack.get();
        badSourceDir = Files.createTempDirectory("dms-e2e-verify-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        badSource = new PgCluster("bad-source", badSourceDir.resolve("pg")).setting("wal_level", "replica")
                .setting("max_replication_slots", "0").start();
        badSource.createDatabase("vf_legacy");
        badSource.execute("vf_legacy", """
                CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
                CREATE TABLE audit_log (at timestamptz NOT NULL DEFAULT now(), what text);
                INSERT INTO orders SELECT i, i FROM generate_series(1, 100) i;
                """);
        createProfile("vfb-src", badSource);
        createProfile("vfb-dst", TestStack.get().destination());
        createJob("vf-bad", "vfb", List.of("vf_legacy")).then().statusCode(200);

        JsonPath bad = verify("vf-bad");
        Set<String> codes = bad.<String>getList("findings.code").stream().collect(Collectors.toSet());
        assertEquals(Set.of("WAL_LEVEL_NOT_LOGICAL", "TABLE_WITHOUT_PRIMARY_KEY", "NOT_ENOUGH_REPLICATION_SLOTS"), codes,
                bad.prettify());
        assertFalse(bad.getBoolean("passed"));
        assertEquals("PRE_FLIGHT", bad.getString("verificationType"));
        Map<String, Object> noKey = bad.getMap("findings.find { it.code == 'TABLE_WITHOUT_PRIMARY_KEY' }");
        assertEquals("WARNING", noKey.get("severity"));
        assertEquals(List.of("public.audit_log"), noKey.get("objects"));
        assertEquals("vf_legacy", noKey.get("database"));
        assertTrue(((String) noKey.get("action")).contains("REPLICA IDENTITY FULL"), noKey.toString());
        assertEquals("ERROR", bad.getString("findings.find { it.code == 'WAL_LEVEL_NOT_LOGICAL' }.severity"));
        assertEquals("NOT_STARTED", status("vf-bad"), "verify changes no status");
        assertTrue(events("vf-bad").stream().anyMatch(e -> e.get("type").equals("PRE_FLIGHT")
                && ((String) e.get("message")).contains("WAL_LEVEL_NOT_LOGICAL")), "the job's events record it");

        PgCluster source = TestStack.get().source();
        source.createDatabase("vf_good");
        source.execute("vf_good", "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'a')");
        createProfiles("vfg");
        createJob("vf-good", "vfg", List.of("vf_good")).then().statusCode(200);
        JsonPath good = verify("vf-good");
        assertEquals(List.of(), good.getList("findings"), good.prettify());
        assertTrue(good.getBoolean("passed"));
        assertTrue(good.getLong("sourceSizeBytes.vf_good") > 0, good.prettify());
        assertNotNull(good.getString("sourceVersion"));
    }

    @Test
    void dataVerifyComparesEveryTableAndNamesTheOneChangedByHandOnTheDestination() throws Exception {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase("vf_shop");
        source.execute("vf_shop", """
                CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL, since timestamptz NOT NULL DEFAULT now());
                CREATE TABLE lines (order_id int, n int, sku text NOT NULL, qty int NOT NULL, PRIMARY KEY (order_id, n));
                CREATE TABLE notes (body text);
                CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
                INSERT INTO events (at) SELECT now() FROM generate_series(1, 1200);
                ALTER TABLE notes REPLICA IDENTITY FULL;
                INSERT INTO customers (name) SELECT 'customer ' || i FROM generate_series(1, 3000) i;
                INSERT INTO lines SELECT i / 5, i % 5, 'sku-' || (i % 97), 1 + i % 7 FROM generate_series(0, 4999) i;
                INSERT INTO notes SELECT 'note ' || i FROM generate_series(1, 40) i;
                """);
        createProfiles("vfd");
        createJob("vf-data", "vfd", List.of("vf_shop")).then().statusCode(200);
        action("vf-data", "start").then().statusCode(200);
        awaitStatus("vf-data", "RUNNING/CDC", 120);
        // Changes during CDC: the check waits until the destination has applied them.
        source.execute("vf_shop", """
                INSERT INTO customers (name) SELECT 'late ' || i FROM generate_series(1, 200) i;
                UPDATE lines SET qty = qty * 2 WHERE order_id % 10 = 3;
                DELETE FROM customers WHERE id % 50 = 0;
                INSERT INTO notes VALUES ('late note');
                """);

        // A table the source keeps adding to while it is compared: rows added after a chunk's snapshot are
        // not differences.
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        Thread appender = new Thread(() -> {
            try (var c = source.connect("vf_shop"); var st = c.createStatement()) {
                while (writing.get()) {
                    st.execute("INSERT INTO events DEFAULT VALUES");
                    added.incrementAndGet();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        appender.start();
        JsonPath equal;
        try {
            equal = verifyData("vf-data");
        } finally {
            writing.set(false);
            appender.join();
        }
        assertTrue(added.get() > 50, "rows were added during the check: " + added.get());
        assertEquals("EQUAL", equal.getString("tables.find { it.table == 'events' }.result"), equal.prettify());
        assertEquals(4, equal.getInt("tablesEqual"), equal.prettify());
        assertEquals(0, equal.getInt("tablesDiffering"));
        assertEquals(0, equal.getInt("tablesSkipped"));
        assertEquals(3136L, equal.getLong("tables.find { it.table == 'customers' }.sourceRows"));
        assertEquals(3136L, equal.getLong("tables.find { it.table == 'customers' }.destinationRows"));
        assertTrue(equal.getInt("tables.find { it.table == 'customers' }.chunks") >= 3136 / TestStack.VERIFY_CHUNK_ROWS,
                "a big table is compared in key chunks: " + equal.prettify());
        assertTrue(equal.getString("notes[0]").contains("while CDC runs"), equal.prettify());
        assertEquals("RUNNING/CDC", status("vf-data"));
        assertTrue(events("vf-data").stream().anyMatch(e -> e.get("type").equals("VERIFIED")));

        // Someone changes one row on the destination by hand.
        TestStack.get().destination().execute("vf_shop", "UPDATE lines SET sku = 'tampered' WHERE order_id = 777 AND n = 2");
        JsonPath differs = verifyData("vf-data");
        assertEquals(1, differs.getInt("tablesDiffering"), differs.prettify());
        assertEquals(3, differs.getInt("tablesEqual"));
        Map<String, Object> lines = differs.getMap("tables.find { it.table == 'lines' }");
        assertEquals("DIFFERS", lines.get("result"));
        assertEquals(5000, ((Number) lines.get("sourceRows")).intValue(), "same counts: the content differs");
        assertEquals(5000, ((Number) lines.get("destinationRows")).intValue());
        assertTrue(((String) lines.get("detail")).contains("order_id, n"), lines.toString());
        assertTrue(events("vf-data").stream().anyMatch(e -> e.get("type").equals("DIFFERS")
                && ((String) e.get("message")).contains("public.lines")), "a DIFFERS event names the table");

        // Stopped: compared directly, and the report says so.
        action("vf-data", "stop").then().statusCode(200);
        awaitStatus("vf-data", "STOPPED/CDC", 60);
        JsonPath stopped = verifyData("vf-data");
        assertTrue(stopped.getString("notes[0]").contains("compared directly"), stopped.prettify());
        assertEquals(List.of("lines"), stopped.getList("tables.findAll { it.result == 'DIFFERS' }.table"));
    }

    private static List<Map<String, Object>> events(String jobId) {
        return request().get("/v1/migration-jobs/" + jobId + "/events").jsonPath().getList("events");
    }
}
