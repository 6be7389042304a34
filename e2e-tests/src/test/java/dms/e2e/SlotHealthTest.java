package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slot health, on a source of its own that bounds what a slot may keep ({@code max_slot_wal_keep_size}
 * = 64MB, four WAL segments): a stopped job's slot shows the WAL it retains on the job and in the
 * metrics, with one warning event past 80% of the bound; past the bound the source invalidates the
 * slot and its database fails within one lag tick (1 s in the tests), saying why and what to do,
 * also while its job is stopped in the full dump (no stream yet: the slot is watched from the dump on).
 */
class SlotHealthTest {

    private static final long MB = 1024 * 1024;
    private static final long MAX_KEEP = 64 * MB;
    private static PgCluster source;

    @BeforeAll
    static void start() throws Exception {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        // The cluster runs as the postgres user when the tests run as root: it must enter the folder.
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-slots-src-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        source = new PgCluster("slots-src", dir).setting("wal_level", "logical").setting("max_slot_wal_keep_size", "64MB").start();
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aStoppedJobShowsTheWalItsSlotRetainsAndWarnsOncePastTheShare() {
        FaultyMigration m = new FaultyMigration("slotwarn", source, TestStack.get().destination(), TestStack.get().control());
        m.start();
        awaitStatus(m.jobId, "RUNNING/CDC", 120);
        action(m.jobId, "stop").then().statusCode(200);
        awaitStatus(m.jobId, "STOPPED/CDC", 60);
        String slot = job(m.jobId).path("databaseProgress[0].slotName");

        long level = (long) (0.8 * MAX_KEEP);
        writeWalUntilRetained(m.db, slot, level + MB);
        long retainedOnSource = retained(m.db, slot);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> warnings(m.jobId).size() == 1);
        String warning = warnings(m.jobId).get(0);
        assertTrue(warning.startsWith("slot " + slot + " retains ") && warning.contains("over 80% of the source's"
                + " max_slot_wal_keep_size (64 MB)"), warning);

        JsonPath doc = job(m.jobId).jsonPath();
        assertEquals("STOPPED/CDC", doc.getString("state") + "/" + doc.getString("phase"));
        assertTrue(doc.getLong("databaseProgress[0].retainedWalBytes") >= level, doc::prettify);
        assertEquals(MAX_KEEP, doc.getLong("databaseProgress[0].maxSlotWalKeepSizeBytes"), doc::prettify);
        assertTrue(doc.getBoolean("databaseProgress[0].retainedWalWarning"), doc::prettify);
        double metric = retainedWalMetric(m.jobId, m.db);
        assertTrue(metric >= level && metric <= retainedOnSource + 16 * MB, "dms_slot_retained_wal_bytes of a stopped job: " + metric);

        KafkaProbe.sleep(3_000);
        assertEquals(1, warnings(m.jobId).size(), "one warning per crossing, not one per tick");
        System.out.printf("SlotHealthTest: stopped job's slot retains %d MB (source), %d MB (metric); warning: %s%n",
                retainedOnSource / MB, (long) metric / MB, warning);
        m.delete();
    }

    @Test
    void anInvalidatedSlotFailsItsDatabaseWithinOneLagTick() {
        FaultyMigration m = new FaultyMigration("slotlost", source, TestStack.get().destination(), TestStack.get().control());
        m.start();
        awaitStatus(m.jobId, "RUNNING/CDC", 120);
        action(m.jobId, "stop").then().statusCode(200);
        awaitStatus(m.jobId, "STOPPED/CDC", 60);
        String slot = job(m.jobId).path("databaseProgress[0].slotName");

        failsOnceInvalidatedAndRestartMendsIt(m, slot, "CDC");
    }

    @Test
    void aSlotInvalidatedWhileTheDumpIsStoppedFailsItsDatabaseToo() {
        FaultyMigration m = new FaultyMigration("slotdump", source, TestStack.get().destination(), TestStack.get().control())
                .withBigTable(60_000);
        m.start();
        m.awaitMidCopy();
        action(m.jobId, "stop").then().statusCode(200);
        awaitStatus(m.jobId, "STOPPED/FULL_DUMP", 60);
        String slot = job(m.jobId).path("databaseProgress[0].slotName");
        // No stream yet: the worker watches the slot from the dump on.
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> retainedWalMetric(m.jobId, m.db) >= 0);
        failsOnceInvalidatedAndRestartMendsIt(m, slot, "FULL_DUMP");
    }

    /**
     * Past four segments after the slot's restart_lsn, a checkpoint removes WAL the slot still needs: the
     * database fails within a lag tick, saying why and what to do, and the restart it names copies it again.
     */
    private static void failsOnceInvalidatedAndRestartMendsIt(FaultyMigration m, String slot, String phase) {
        long invalidated = 0;
        while (invalidated == 0) {
            writeWalUntilRetained(m.db, slot, MAX_KEEP + 20 * MB);
            source.execute(m.db, "CHECKPOINT");
            if ("lost".equals(source.queryForString(m.db, "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))) {
                invalidated = System.nanoTime();
            }
        }
        awaitStatus(m.jobId, "FAILED/" + phase, 30);
        long millis = Duration.ofNanos(System.nanoTime() - invalidated).toMillis();

        JsonPath doc = job(m.jobId).jsonPath();
        String expected = "database " + m.db + ": slot " + slot + " on the source was invalidated (wal_status lost: the source"
                + " removed WAL the job had not read, max_slot_wal_keep_size = 64MB): the changes since are lost; restart the"
                + " database (`:restart {\"databases\": [\"" + m.db + "\"]}`) to copy it again";
        assertEquals(expected, doc.getString("error.message"), doc::prettify);
        assertTrue(millis < 5_000, "failed within one lag tick (1 s here) and the way through Kafka: " + millis + " ms");
        System.out.printf("SlotHealthTest: slot invalidated (job STOPPED/%s) -> job FAILED in %d ms (lag tick 1 s)%n", phase, millis);

        request().body(Map.of("databases", List.of(m.db))).post("/v1/migration-jobs/" + m.jobId + ":restart").then().statusCode(200);
        awaitStatus(m.jobId, "RUNNING/CDC", 180);
        assertNull(job(m.jobId).path("error"));
        m.delete();
    }

    /** Writes WAL on the source (1 MB logical messages, decoded by no one) until the slot retains {@code bytes}. */
    private static void writeWalUntilRetained(String db, String slot, long bytes) {
        while (retained(db, slot) < bytes) {
            source.execute(db, "SELECT pg_logical_emit_message(false, 'slot-health-test', repeat('x', 1048576))");
        }
    }

    private static long retained(String db, String slot) {
        String bytes = source.queryForString(db, "SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint"
                + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        return Long.parseLong(bytes);
    }

    private static List<String> warnings(String jobId) {
        List<Map<String, Object>> events = request().get("/v1/migration-jobs/" + jobId + "/events").jsonPath().getList("events");
        return events.stream().filter(e -> "RETAINED_WAL_WARNING".equals(e.get("type"))).map(e -> (String) e.get("message")).toList();
    }

    /** The cdc-worker's dms_slot_retained_wal_bytes of the job's database; -1 when it has no such series. */
    private static double retainedWalMetric(String jobId, String db) {
        String metrics = RestAssured.get(TestStack.cdcWorker().url() + "/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^dms_slot_retained_wal_bytes\\{[^}]*database=\"" + db + "\",migration_job=\"" + jobId
                + "\"[^}]*} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
