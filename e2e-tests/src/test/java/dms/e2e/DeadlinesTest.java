package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.JobPatch;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing waits for ever: a promote that cannot drain fails at its deadline with the reason (from
 * the cdc-worker when the marker is written but not applied; from the orchestrator when no
 * cdc-worker runs), and resume then promote completes it; Operations expire after their retention;
 * a dump task whose worker died or whose report was lost is sent again when its lease expires.
 * The class runs its own orchestrator with short deadlines and leases, in place of the stack's.
 */
class DeadlinesTest {

    private static final int DRAIN_TIMEOUT_SECONDS = 15;
    private static final int RETENTION_SECONDS = 30;
    /** Five of the dump-worker's heartbeats ({@link TestStack#HEARTBEAT_SECONDS}). */
    private static final int LEASE_SECONDS = 10;
    private static final String DUMP_WORKERS = "dms-dump-worker";
    private static final String DB = "deadlines_app";
    private static ServiceProcess orchestrator;

    @BeforeAll
    static void shortDeadlines() {
        TestStack.service(DmsService.JOB_ORCHESTRATOR).stop();
        orchestrator = TestStack.get().newService(DmsService.JOB_ORCHESTRATOR, "job-orchestrator-deadlines", Map.of(
                "dms.promote.drain-timeout", "PT" + DRAIN_TIMEOUT_SECONDS + "S",
                "dms.promote.check-interval", "1s",
                "dms.operations.retention", "PT" + RETENTION_SECONDS + "S",
                "dms.operations.expiry-interval", "2s",
                "dms.dump.task-lease", "PT" + LEASE_SECONDS + "S",
                "dms.dump.lease.check-interval", "1s",
                "dms.verify.max-attempts", "3"));
        orchestrator.start();
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        source.execute(DB, "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 100) i");
    }

    @AfterAll
    static void stackOrchestratorBack() {
        orchestrator.stop();
        TestStack.service(DmsService.JOB_ORCHESTRATOR).start();
    }

    @Test
    void aPromoteThatCannotDrainFailsAtItsDeadlineWithTheReasonAndResumeThenPromoteCompletes() throws Exception {
        createProfiles("deadlines");
        createJob("deadlines-1", "deadlines", List.of(DB)).then().statusCode(200);
        action("deadlines-1", "start").then().statusCode(200);
        awaitStatus("deadlines-1", "RUNNING/CDC", 180);

        // 1. The marker is written but cannot be applied: a change before it waits on a lock on the destination.
        PgCluster source = TestStack.get().source();
        try (Connection dst = TestStack.get().destination().connect(DB); Statement st = dst.createStatement()) {
            dst.setAutoCommit(false);
            st.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
            source.execute(DB, "INSERT INTO items VALUES (101, 'behind the lock')");
            long t0 = System.nanoTime();
            action("deadlines-1", "promote").then().statusCode(200);
            awaitStatus("deadlines-1", "FAILED/PROMOTE_IN_PROGRESS", DRAIN_TIMEOUT_SECONDS + 60);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String error = job("deadlines-1").path("error.message");
            System.out.printf("promote with its marker stuck behind a lock: FAILED after %.1f s: %s%n", seconds, error);
            assertTrue(error.contains("the drain marker written at LSN ") && error.contains("did not arrive within "
                    + DRAIN_TIMEOUT_SECONDS + " s") && error.contains("resume the job, then promote again"), error);
            assertTrue(seconds < DRAIN_TIMEOUT_SECONDS + 15, "failed " + seconds + " s after the promote");
            dst.rollback();
        }
        action("deadlines-1", "resume").then().statusCode(200);
        awaitStatus("deadlines-1", "RUNNING/CDC", 120);

        // 2. No cdc-worker at all: nobody reports, the orchestrator fails the promote itself.
        ServiceProcess cdcWorker = TestStack.cdcWorker();
        cdcWorker.stop();
        long t1 = System.nanoTime();
        action("deadlines-1", "promote").then().statusCode(200);
        awaitStatus("deadlines-1", "FAILED/PROMOTE_IN_PROGRESS", DRAIN_TIMEOUT_SECONDS + 60);
        double seconds = (System.nanoTime() - t1) / 1e9;
        String error = job("deadlines-1").path("error.message");
        System.out.printf("promote with no cdc-worker: FAILED after %.1f s: %s%n", seconds, error);
        assertTrue(error.startsWith("database " + DB + ": promote failed: no cdc-worker finished the drain within "
                + DRAIN_TIMEOUT_SECONDS + " s"), error);

        TestStack.cdcWorker();
        action("deadlines-1", "resume").then().statusCode(200);
        awaitStatus("deadlines-1", "RUNNING/CDC", 120);
        action("deadlines-1", "promote").then().statusCode(200);
        awaitStatus("deadlines-1", "COMPLETED", 120);
        assertEquals("101", TestStack.get().destination().queryForString(DB, "SELECT count(*) FROM items"));
    }

    /**
     * A task acknowledged with its report lost (the dump-worker gives a task back to Kafka only if it dies
     * before acknowledging it): simulated by moving the dump-workers' group past the tasks on dms.dump-tasks,
     * once for the PREPARE (no worker running), once for the copies in flight (the worker killed mid-copy,
     * with the snapshot it held). Only the leases bring the job on: the PREPARE and the copies are sent
     * again, the copies then ask for a new snapshot, and the dump completes with the tables equal.
     */
    @Test
    void tasksWhoseReportsAreLostAreSentAgainWhenTheirLeasesExpireAndTheDumpCompletes() throws Exception {
        TestStack.dumpWorker().stop();
        TestStack.cdcWorker();
        FaultyMigration m = new FaultyMigration("leases", TestStack.get()).withBigTable(60_000);
        long t0 = System.nanoTime();
        m.start();
        KafkaProbe.await(KafkaProbe.TOPICS.dumpTasks(), r -> r.key().equals(m.jobId + "/" + m.db) && r.value().contains("PREPARE_DATABASE"),
                Duration.ofSeconds(30));
        skipDumpTasks();
        TestStack.dumpWorker();
        m.awaitMidCopy();
        double prepared = (System.nanoTime() - t0) / 1e9;

        TestStack.dumpWorker().kill();
        long t1 = System.nanoTime();
        skipDumpTasks();
        TestStack.dumpWorker();
        awaitStatus(m.jobId, "RUNNING/CDC", 180);
        double recovered = (System.nanoTime() - t1) / 1e9;
        m.awaitSameRows(0);

        String events = lastEvents(m.jobId, 200);
        System.out.printf("leases of %d s: the lost PREPARE's dump was copying %.1f s after the start; after the kill mid-copy"
                + " the job reached CDC in %.1f s%n", LEASE_SECONDS, prepared, recovered);
        assertTrue(events.contains("PREPARE_DATABASE of database " + m.db + " (attempt 1) had no word from its worker for "
                + LEASE_SECONDS + " s: sent again as attempt 2"), events);
        assertTrue(events.matches(".*copy of public\\.big \\(unit \\d+\\) had no word from its worker .*: sent again as attempt \\d.*"), events);

        dataCheckLeases(m);
        m.delete();
    }

    /**
     * A data check's task is leased too: its worker frozen (SIGSTOP: no heartbeat, no report) past the lease,
     * the task is sent again as attempt 2, and the worker, let go on, takes that attempt over and finishes the
     * check; with no dump-worker for all its attempts (3 here) the check ends VERIFY_INCOMPLETE naming the
     * database, instead of waiting for ever.
     */
    private static void dataCheckLeases(FaultyMigration m) throws Exception {
        ServiceProcess worker = TestStack.dumpWorker();
        String first = verify(m.jobId).getString("verification.id");
        signal(worker, "STOP");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> lastEvents(m.jobId, 10).contains("data check of database " + m.db + " (attempt 1) had no word from its worker for "
                            + LEASE_SECONDS + " s: sent again as attempt 2"));
        } finally {
            signal(worker, "CONT");
        }
        JsonPath checked = awaitVerification(m.jobId, first);
        assertEquals(List.of(), checked.getList("databasesNotChecked"), checked.prettify());
        assertTrue(checked.getInt("tablesEqual") >= 1 && checked.getInt("tablesDiffering") == 0, checked.prettify());
        assertTrue(lastEvents(m.jobId, 10).contains("VERIFIED"), lastEvents(m.jobId, 10));

        TestStack.dumpWorker().stop();
        long t0 = System.nanoTime();
        String second = verify(m.jobId).getString("verification.id");
        JsonPath unchecked = awaitVerification(m.jobId, second);
        System.out.printf("data check with no dump-worker: ended after %.1f s (leases of %d s, 3 attempts)%n",
                (System.nanoTime() - t0) / 1e9, LEASE_SECONDS);
        assertEquals(List.of(m.db), unchecked.getList("databasesNotChecked"), unchecked.prettify());
        assertTrue(unchecked.getList("notes").toString().contains("not checked: no dump-worker answered in 3 attempt(s)"),
                unchecked.prettify());
        assertTrue(lastEvents(m.jobId, 5).contains("VERIFY_INCOMPLETE: database(s) not checked to the end: " + m.db),
                lastEvents(m.jobId, 5));
        skipDumpTasks();
        TestStack.dumpWorker();
    }

    private static void signal(ServiceProcess process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor());
    }

    private static JsonPath awaitVerification(String jobId, String id) {
        return Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> new JsonPath(job(jobId).asString()).setRootPath("verification"),
                        v -> id.equals(v.getString("id")) && v.getString("finishedAt") != null);
    }


    /**
     * The dump-workers' group goes past every task on dms.dump-tasks, as if each had been acknowledged: a
     * worker killed -9 is still a member until its session times out, so this waits for the group to be empty.
     */
    private static void skipDumpTasks() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().bootstrapServers()))) {
            String topic = KafkaProbe.TOPICS.dumpTasks();
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
                Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((p, info) -> ends.put(p, new OffsetAndMetadata(info.offset())));
                admin.alterConsumerGroupOffsets(DUMP_WORKERS, ends).all().get();
                return true;
            });
        }
    }

    @Test
    void anOperationExpiresAfterItsRetentionAndItsCommandIdCanBeAppliedAgain() {
        createProfiles("expiry");
        createJob("expiry-1", "expiry", List.of("app")).then().statusCode(200);
        Command edit = Command.builder(CommandType.UPDATE_JOB).jobId("expiry-1").patch(new JobPatch("edited", null, null))
                .requestedBy("e2e-expiry").build();
        String id = edit.commandId();
        KafkaProbe.send(KafkaProbe.TOPICS.commands(), edit.kafkaKey(), Json.write(edit));
        awaitOperation("operations/" + id, 30);
        assertEquals("edited", job("expiry-1").path("displayName"));
        request().body(Map.of("displayName", "changed since")).patch("/v1/migration-jobs/expiry-1").then().statusCode(200);
        // Within the retention the same commandId is a duplicate: nothing changes.
        KafkaProbe.send(KafkaProbe.TOPICS.commands(), edit.kafkaKey(), Json.write(edit));
        KafkaProbe.sleep(3000);
        assertEquals("changed since", job("expiry-1").path("displayName"));

        long t0 = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(RETENTION_SECONDS + 60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> request().get("/v1/operations/" + id).statusCode() == 404);
        System.out.printf("operation expired %.1f s after it was read (retention %d s)%n", (System.nanoTime() - t0) / 1e9,
                RETENTION_SECONDS);
        request().get("/v1/operations/" + id).then().statusCode(404).body("detail", containsString("expired"));
        assertTrue(KafkaProbe.readAll(KafkaProbe.TOPICS.operations()).stream()
                .anyMatch(r -> r.key().equals("operations/" + id) && r.value() == null), "a tombstone on dms.operations");

        // After the retention the same commandId is a new command (docs/command-contract.md).
        KafkaProbe.send(KafkaProbe.TOPICS.commands(), edit.kafkaKey(), Json.write(edit));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "edited".equals(job("expiry-1").path("displayName")));
    }
}
