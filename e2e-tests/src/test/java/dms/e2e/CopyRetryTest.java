package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Copies that fail are tried again after a backoff (orchestrator defaults: 3 attempts, waits of
 * 5 s then 15 s), with real processes. The destination refuses the rows of one table: each of
 * its databases is created before the job starts (the dump accepts an existing database that
 * holds no table) with an event trigger that, as soon as pre-data creates {@code public.flaky},
 * gives it a BEFORE INSERT trigger enabled ALWAYS (the copy's session runs with
 * {@code session_replication_role = replica}, which skips ordinary triggers). That trigger counts
 * each attempt in a sequence (not rolled back with the copy) and raises {@code lock_not_available}
 * (55P03, a lock timeout: a trouble that passes) with the time of the attempt, while the count is
 * within the database's limit. The fault is thus in place before the first copy, whatever the
 * timing, and production code knows nothing of it.
 *
 * <p>Two jobs run at once, so their waits overlap: one whose table fails every time (3 attempts,
 * then FAILED/FULL_DUMP; a restart refuses to drop the destination database the job did not create,
 * and once its owner dropped it, the next restart creates it and copies again), one
 * whose table fails twice (an outage shorter than the retry budget: the dump completes).
 */
class CopyRetryTest {

    private static final String DOWN = "retry_down";
    private static final String BLIP = "retry_blip";
    private static final int ROWS = 300;
    private static final Pattern ATTEMPT = Pattern.compile(
            "copy of public\\.flaky failed \\(attempt (\\d) of 3\\): .*?fault (\\d+) at (\\S+Z).*?; (retrying in (\\d+) s|no attempt left)",
            Pattern.DOTALL);

    private static long started;

    @BeforeAll
    static void twoJobsWithAFlakyDestination() throws Exception {
        TestStack.dumpWorker();
        sourceDatabase(DOWN);
        sourceDatabase(BLIP);
        faultyDestination(DOWN, Long.MAX_VALUE);
        faultyDestination(BLIP, 2);
        createProfiles("retry");
        createJob("retry-down", "retry", List.of(DOWN)).then().statusCode(200);
        createJob("retry-blip", "retry", List.of(BLIP)).then().statusCode(200);
        started = System.nanoTime();
        action("retry-down", "start").then().statusCode(200);
        action("retry-blip", "start").then().statusCode(200);
    }

    @Test
    void aTableThatFailsEveryTimeFailsTheJobAfterThreeSpacedAttemptsAndARestartRecovers() throws Exception {
        // Between the first and the second attempt the document says the table waits to retry, and why.
        JsonPath[] seen = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            seen[0] = job("retry-down").then().statusCode(200).extract().jsonPath();
            List<?> tables = seen[0].getList("databaseProgress[0].tables");
            return tables != null && !tables.isEmpty() && Integer.valueOf(1).equals(table(seen[0], "public.flaky").get("attempts"))
                    && "QUEUED".equals(table(seen[0], "public.flaky").get("state"));
        });
        JsonPath waiting = seen[0];
        assertEquals("RUNNING/FULL_DUMP", waiting.getString("state") + "/" + waiting.getString("phase"));
        Map<String, Object> flaky = table(waiting, "public.flaky");
        assertTrue(String.valueOf(flaky.get("error")).contains("fault 1 at"), "the last error: " + flaky);
        Instant retryTime = Instant.parse((String) flaky.get("retryTime"));
        assertTrue(retryTime.isAfter(Instant.now().minusSeconds(1)), "due in the future: " + retryTime);

        awaitStatus("retry-down", "FAILED/FULL_DUMP", 60);
        JsonPath failed = job("retry-down").then().statusCode(200).extract().jsonPath();
        String error = failed.getString("error.message");
        assertTrue(error.startsWith("database " + DOWN + ": table public.flaky: ") && error.contains("fault 3 at")
                && error.endsWith("(after 3 attempts)"), error);
        assertEquals("FAILED", table(failed, "public.flaky").get("state"));
        assertEquals(3, table(failed, "public.flaky").get("attempts"));
        assertEquals("COPIED", table(failed, "public.steady").get("state"), "the other table went on meanwhile");

        List<Attempt> attempts = attempts("retry-down");
        assertEquals(List.of(1, 2, 3), attempts.stream().map(Attempt::number).toList(), "three attempts: " + attempts);
        assertEquals(List.of(1L, 2L, 3L), attempts.stream().map(Attempt::fault).toList(), "the destination saw each attempt once");
        assertEquals(Long.valueOf(5), attempts.get(0).retryIn());
        assertEquals(Long.valueOf(15), attempts.get(1).retryIn());
        assertNull(attempts.get(2).retryIn(), "the last one says no attempt is left");
        assertSpacedBy(attempts, List.of(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        assertEquals(3, lastValue(DOWN), "exactly three attempts reached the destination");
        String metrics = io.restassured.RestAssured.get(TestStack.service(DmsService.JOB_ORCHESTRATOR).url() + "/q/metrics").asString();
        assertTrue(metrics.contains("dms_task_retries_total{kind=\"copy\",migration_job=\"retry-down\"} 2.0"), "two retries counted");
        assertTrue(metrics.contains("dms_task_failures_total{kind=\"copy\",migration_job=\"retry-down\"} 3.0"), "three failures counted");
        System.out.printf("CopyRetryTest: retry-down FAILED after %d s, attempts %s%n", (System.nanoTime() - started) / 1_000_000_000, attempts);

        // The destination database existed before the job (the test made it, with the fault): the
        // restart's pre-flight refuses it, and without the pre-flight the dump-worker does not drop it
        // but fails, saying so and what to do.
        action("retry-down", "restart").then().statusCode(409).body("findings.code", contains("DESTINATION_DATABASE_NOT_EMPTY"))
                .body("detail", containsString("did not create it"));
        actionWithoutPreflight("retry-down", "restart").then().statusCode(200);
        awaitStatus("retry-down", "FAILED", 60); // failed while restarting: no phase reached
        String refused = job("retry-down").then().statusCode(200).extract().jsonPath().getString("error.message");
        assertTrue(refused.contains("job retry-down did not create it") && refused.contains("then restart"), refused);
        assertEquals("1", TestStack.get().destination().queryForString(DOWN, "SELECT count(*) FROM pg_namespace WHERE nspname = 'fault'"),
                "nothing of the user's database was dropped");

        // Dropped by its owner, it is created by the job on the next restart, which copies again.
        TestStack.get().destination().execute("postgres", "DROP DATABASE " + DOWN + " WITH (FORCE)");
        long restartAt = System.nanoTime();
        action("retry-down", "restart").then().statusCode(200);
        awaitStatus("retry-down", "RUNNING/CDC", 60);
        System.out.printf("CopyRetryTest: retry-down restarted to RUNNING/CDC in %d ms%n", (System.nanoTime() - restartAt) / 1_000_000);
        assertTablesEqual(DOWN);
        assertEquals("0", TestStack.get().destination().queryForString(DOWN, "SELECT count(*) FROM pg_namespace WHERE nspname = 'fault'"));
        delete("retry-down");
    }

    @Test
    void anOutageShorterThanTheRetryBudgetDoesNotFailTheJob() throws Exception {
        awaitStatus("retry-blip", "RUNNING/CDC", 60);
        System.out.printf("CopyRetryTest: retry-blip RUNNING/CDC after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        List<Attempt> attempts = attempts("retry-blip");
        assertEquals(List.of(1, 2), attempts.stream().map(Attempt::number).toList(), "two failed attempts: " + attempts);
        assertEquals(List.of(5L, 15L), attempts.stream().map(Attempt::retryIn).toList());
        assertSpacedBy(attempts, List.of(Duration.ofSeconds(5)));
        // The third attempt came at least 15 s after the second failure and copied every row (each counted by the trigger).
        assertEquals(2 + ROWS, lastValue(BLIP));
        JsonPath done = job("retry-blip").then().statusCode(200).extract().jsonPath();
        assertNull(done.get("error"));
        Map<String, Object> flaky = table(done, "public.flaky");
        assertEquals("COPIED", flaky.get("state"));
        assertNull(flaky.get("error"), "a copied table shows no past error: " + flaky);
        assertNull(flaky.get("retryTime"));
        assertTablesEqual(BLIP);
        delete("retry-blip");
    }

    private record Attempt(int number, long fault, Instant time, Long retryIn) {}

    /** The failed attempts of public.flaky in the job's audit trail, with the time the destination refused each. */
    private static List<Attempt> attempts(String jobId) {
        List<String> messages = request().get("/v1/migration-jobs/" + jobId + "/events").then().statusCode(200)
                .extract().jsonPath().getList("events.message", String.class);
        List<Attempt> out = new ArrayList<>();
        for (String m : messages) {
            Matcher matcher = ATTEMPT.matcher(String.valueOf(m));
            if (matcher.find()) {
                out.add(new Attempt(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)), Instant.parse(matcher.group(3)),
                        matcher.group(5) == null ? null : Long.valueOf(matcher.group(5))));
            }
        }
        return out;
    }

    /**
     * Attempt k+1 began at least the k-th backoff after attempt k failed (the orchestrator starts
     * the wait once it hears of the failure, later than the failure itself), and not much later:
     * the timer looks every second, then the task goes through Kafka to the worker.
     */
    private static void assertSpacedBy(List<Attempt> attempts, List<Duration> backoffs) {
        for (int k = 0; k < backoffs.size(); k++) {
            Duration gap = Duration.between(attempts.get(k).time(), attempts.get(k + 1).time());
            assertTrue(gap.compareTo(backoffs.get(k)) >= 0, "attempt " + (k + 2) + " came " + gap + " after attempt " + (k + 1)
                    + ", before its backoff of " + backoffs.get(k));
            assertTrue(gap.compareTo(backoffs.get(k).plusSeconds(8)) < 0, "attempt " + (k + 2) + " came only " + gap
                    + " after attempt " + (k + 1) + " (backoff " + backoffs.get(k) + ")");
        }
    }

    private static Map<String, Object> table(JsonPath job, String name) {
        List<Map<String, Object>> tables = job.getList("databaseProgress[0].tables");
        return tables.stream().filter(t -> name.equals(t.get("table"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + tables));
    }

    private static void sourceDatabase(String db) throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase(db);
        try (Connection c = source.connect(db); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS flaky, steady");
            st.execute("CREATE TABLE flaky (id int PRIMARY KEY, v text)");
            st.execute("CREATE TABLE steady (id int PRIMARY KEY, v text)");
            st.execute("INSERT INTO flaky SELECT i, md5(i::text) FROM generate_series(1, " + ROWS + ") i");
            st.execute("INSERT INTO steady SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 2000) i");
            st.execute("ANALYZE");
        }
    }

    /**
     * The job's destination database, created ahead with the fault: attempts numbered up to
     * {@code failures} are refused. Nothing in it is a table, so the dump accepts it as empty.
     */
    private static void faultyDestination(String db, long failures) throws Exception {
        PgCluster destination = TestStack.get().destination();
        try (Connection admin = destination.connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        destination.createDatabase(db);
        try (Connection c = destination.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA fault");
            st.execute("CREATE SEQUENCE fault.attempts");
            st.execute("""
                    CREATE FUNCTION fault.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    DECLARE n bigint := nextval('fault.attempts');
                    BEGIN
                        IF n <= FAILURES THEN
                            RAISE EXCEPTION 'fault % at %', n,
                                to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                                USING ERRCODE = 'lock_not_available';
                        END IF;
                        RETURN NEW;
                    END $$""".replace("FAILURES", String.valueOf(failures)));
        }
        TriggerOnCreate.arm(destination, db, "fault", "public.flaky", "refuse", "BEFORE INSERT ... FOR EACH ROW", "fault.refuse");
    }

    private static long lastValue(String db) {
        return Long.parseLong(TestStack.get().destination().queryForString(db,
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM fault.attempts"));
    }

    private static void assertTablesEqual(String db) throws Exception {
        try (Connection src = TestStack.get().source().connect(db); Connection dst = TestStack.get().destination().connect(db)) {
            for (String t : List.of("flaky", "steady")) {
                assertEquals(TableChecksum.of(src, "public", t, List.of("id")), TableChecksum.of(dst, "public", t, List.of("id")),
                        "table " + t + " equal on both sides");
            }
        }
    }

    private static void delete(String jobId) {
        request().delete("/v1/migration-jobs/" + jobId + "?purgeDestination=true").then().statusCode(200);
        awaitStatus(jobId, "404", 60);
    }
}
