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
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing waits for ever: a promote that cannot drain fails at its deadline with the reason (from
 * the cdc-worker when the marker is written but not applied; from the orchestrator when no
 * cdc-worker runs), and resume then promote completes it; Operations expire after their retention.
 * The class runs its own orchestrator with short deadlines, in place of the stack's.
 */
class DeadlinesTest {

    private static final int DRAIN_TIMEOUT_SECONDS = 15;
    private static final int RETENTION_SECONDS = 30;
    private static final String DB = "deadlines_app";
    private static ServiceProcess orchestrator;

    @BeforeAll
    static void shortDeadlines() {
        TestStack.service(DmsService.JOB_ORCHESTRATOR).stop();
        orchestrator = TestStack.get().newService(DmsService.JOB_ORCHESTRATOR, "job-orchestrator-deadlines", Map.of(
                "dms.promote.drain-timeout", "PT" + DRAIN_TIMEOUT_SECONDS + "S",
                "dms.promote.check-interval", "1s",
                "dms.operations.retention", "PT" + RETENTION_SECONDS + "S",
                "dms.operations.expiry-interval", "2s"));
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
        awaitStatus("deadlines-1", "COMPLETED", 60);
        assertEquals("101", TestStack.get().destination().queryForString(DB, "SELECT count(*) FROM items"));
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
