package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.HealthProbe;
import dms.devstack.ServiceProcess;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker stopped for 30 s during CDC under a write load, then started again: every
 * service must recover with no action from us, the job stay RUNNING/CDC, the destination end
 * equal to the source, and promote work. And stopped for 3 minutes during the full dump, while
 * a copy finishes: its report waits for the broker (longer than a producer's own timeouts), the
 * dump completes, the tables are equal. The broker is the stack's own: this class starts a
 * DevStack of its own (broker, clusters, the four services on free ports), so the stack the
 * other classes share never loses its broker.
 */
class KafkaOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** A load that lasts through the outage: about 0.5 s a transaction. */
    private static final int TRANSACTIONS = 90;
    private static final Duration PAUSE = Duration.ofMillis(400);
    private static final int OUTAGE_AFTER = 10;
    private static final Duration DUMP_OUTAGE = Duration.ofMinutes(3);
    /** How long a copy of table big takes (a statement trigger on the destination): it ends during the outage. */
    private static final int SLOW_COPY_SECONDS = 20;

    private static Path dir;
    private static DevStack stack;

    @BeforeAll
    static void ownStack() throws IOException {
        // The clusters run as the postgres user when the tests run as root: it must enter the folder.
        dir = Files.createTempDirectory("dms-e2e-kafka-outage-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        stack = DevStack.start(dir);
        stack.startServices();
        String apiUrl = stack.service(DmsService.JOB_API).orElseThrow().url();
        TestStack.awaitFirstRoundTrip(apiUrl);
        Api.use(apiUrl);
    }

    @AfterAll
    static void stopOwnStack() throws IOException {
        Api.useTestStack();
        if (stack != null) {
            stack.close();
            // The stack goes with its folder: its services' and broker's logs stay in target/ for a look after a failure.
            Path kept = Path.of("target", "kafka-outage-logs");
            Files.createDirectories(kept);
            try (Stream<Path> logs = Files.list(stack.layout().logs())) {
                for (Path log : logs.toList()) {
                    Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void brokerStoppedDuringCdcUnderLoadEveryServiceRecoversByItself() throws Exception {
        FaultyMigration m = new FaultyMigration("kafo", stack).withBigTable(5_000);
        m.start();
        awaitStatus(m.jobId, "RUNNING/CDC", 120);

        long began = System.nanoTime();
        try (JobWatch watch = JobWatch.start(m.jobId); SourceLoad load = m.load(0, TRANSACTIONS, PAUSE)) {
            load.awaitCommitted(OUTAGE_AFTER);
            long streamStarts = streamStarts(m);
            long stopped = System.nanoTime();
            stack.kafka().stop();
            long applied = destinationRows(m);

            // What the user sees meanwhile: every service up but not ready, reads served from the API's
            // last view, a change refused (503); and Kafka is not on the data path: CDC goes on applying.
            for (ServiceProcess service : stack.services().values()) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !HealthProbe.isReady(service.httpPort()));
                assertTrue(service.isAlive(), service.name());
            }
            assertEquals("RUNNING/CDC", status(m.jobId));
            Response edit = request().body(Map.of("displayName", "edited during the outage")).patch("/v1/migration-jobs/" + m.jobId);
            assertEquals(503, edit.statusCode(), edit.asString());

            KafkaProbe.sleep(Math.max(0, OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - stopped).toMillis()));
            assertTrue(destinationRows(m) > applied, "CDC applied the load while the broker was away");
            stack.kafka().startAgain();
            long restarted = System.nanoTime();
            for (ServiceProcess service : stack.services().values()) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> HealthProbe.isReady(service.httpPort()));
            }
            long recovered = Duration.ofNanos(System.nanoTime() - restarted).toSeconds();

            load.finish();
            m.awaitSameRows(TRANSACTIONS);
            m.awaitApiShowsControlState();
            m.assertStreaming(watch);
            assertEquals(streamStarts, streamStarts(m), "the stream ran through the outage: it was not started again");
            // The dump-worker takes tasks again: the data check it runs finds every table equal.
            JsonPath verification = verifyData(m.jobId);
            assertEquals(m.tables().size(), verification.getInt("tablesEqual"), verification.prettify());
            System.out.printf("KafkaOutageTest: broker away %d s, every service ready %d s after it was back; load, outage and"
                            + " catch-up in %d s; statuses seen %s, errors shown %s%n",
                    Duration.ofNanos(restarted - stopped).toSeconds(), recovered,
                    Duration.ofNanos(System.nanoTime() - began).toSeconds(), watch.statuses, watch.databaseErrors);
        }
        m.promoteAndDelete(TRANSACTIONS);
    }

    @Test
    void brokerStoppedForThreeMinutesDuringTheDumpTheCopyReportWaitsAndTheDumpCompletes() throws Exception {
        FaultyMigration m = new FaultyMigration("kafd", stack).withBigTable(5_000);
        slowCopyOfBig(m.db);
        m.start();
        // The copy of big has reached the destination: its statement trigger sleeps.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !"0".equals(stack.destination().queryForString(m.db, "SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event = 'PgSleep'")));
        long stopped = System.nanoTime();
        long copied;
        long restarted;
        stack.kafka().stop();
        try {
            // The copy commits while the broker is away; its report cannot reach the orchestrator yet.
            Awaitility.await().atMost(Duration.ofSeconds(SLOW_COPY_SECONDS + 30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> "1".equals(stack.destination().queryForString(m.db,
                            "SELECT count(*) FROM dms_internal.copied_unit WHERE table_name = 'big'")));
            copied = System.nanoTime();
            KafkaProbe.sleep(Math.max(0, DUMP_OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - stopped).toMillis()));
        } finally {
            stack.kafka().startAgain();
            restarted = System.nanoTime();
            for (ServiceProcess service : stack.services().values()) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> HealthProbe.isReady(service.httpPort()));
            }
        }
        awaitStatus(m.jobId, "RUNNING/CDC", 180);
        m.awaitSameRows(0);
        System.out.printf("KafkaOutageTest: broker away %d s during the dump, a copy committed %d s into it; RUNNING/CDC %d s"
                        + " after the broker was back%n", Duration.ofNanos(restarted - stopped).toSeconds(),
                Duration.ofNanos(copied - stopped).toSeconds(), Duration.ofNanos(System.nanoTime() - restarted).toSeconds());
        m.promoteAndDelete(0);
    }

    /**
     * The job's destination database, made ahead (empty: the dump accepts it) where table big, once
     * pre-data creates it, gets a statement trigger sleeping {@value #SLOW_COPY_SECONDS} s ({@link TriggerOnCreate}):
     * its copy is in flight for that long, whatever the machine's speed.
     */
    private static void slowCopyOfBig(String db) {
        stack.destination().createDatabase(db);
        stack.destination().execute(db, """
                CREATE SCHEMA slow;
                CREATE FUNCTION slow.wait() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(SECONDS); RETURN NULL; END $$;
                """.replace("SECONDS", String.valueOf(SLOW_COPY_SECONDS)));
        TriggerOnCreate.arm(stack.destination(), db, "slow", "public.big", "wait", "AFTER INSERT ... FOR EACH STATEMENT", "slow.wait");
    }

    /** How often the job's stream started: each start is reported (RESUMED), and the report is a job event. */
    private static long streamStarts(FaultyMigration m) {
        List<String> messages = request().get("/v1/migration-jobs/" + m.jobId + "/events").then().statusCode(200)
                .extract().jsonPath().getList("events.findAll { it.type == 'WORKER_REPORT' }.message");
        return messages.stream().filter(message -> message.startsWith("RESUMED")).count();
    }

    private static long destinationRows(FaultyMigration m) {
        return Long.parseLong(stack.destination().queryForString(m.db, "SELECT count(*) FROM " + SourceLoad.TABLE));
    }
}
