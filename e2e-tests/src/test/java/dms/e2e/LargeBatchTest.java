package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.JobSpec;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.devstack.DevStack;
import dms.devstack.DmsService;
import dms.devstack.FreePorts;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch of 1,000 jobs: its Operation names the jobs instead of embedding their documents (which
 * together are over 1 MiB), so the call answers and the commands after it are applied; an
 * Operation over the limit (a batch verify's pre-flight reports) is set aside and answered by an
 * error instead of blocking the outbox. For the test, dms.operations takes records up to
 * {@value #TOPIC_LIMIT} bytes (max.message.bytes), so that the broker refuses the verify's
 * Operation as it would one over its default limit (the producer, at 1 MiB, lets it through).
 */
class LargeBatchTest {

    private static final int JOBS = 1000;
    private static final int TOPIC_LIMIT = 256 * 1024;
    /** Jobs verified at once: their pre-flight reports (about 1.2 KB each) are over the topic's limit, under the producer's. */
    private static final int VERIFIED = 300;
    /** Long names, as real ones can be: each job document is over a kilobyte. */
    private static final String PROFILE = "large-batch-connection-profile-of-the-";
    private static final List<String> DATABASES = List.of("database_one_" + "d".repeat(50), "database_two_" + "d".repeat(50));

    @BeforeAll
    static void smallerLimitOnOperations() throws Exception {
        TestStack.withoutWorkers();
        alterOperationsTopic(new AlterConfigOp(new ConfigEntry("max.message.bytes", String.valueOf(TOPIC_LIMIT)), AlterConfigOp.OpType.SET));
    }

    @AfterAll
    static void defaultLimitBack() throws Exception {
        alterOperationsTopic(new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
    }

    @Test
    void aThousandJobBatchAnswersAnOversizedOperationIsSetAsideAndTheNextCommandsAreApplied() {
        // Profiles on a port where nothing listens: a create compares the two servers, which fails at once here.
        int closed = FreePorts.pick();
        for (String side : List.of("src", "dst")) {
            request().body(Map.of("id", PROFILE + side, "host", "127.0.0.1", "port", closed, "username", "u",
                    "password", "p", "sslMode", "disable")).post("/v1/connection-profiles").then().statusCode(200);
        }
        List<String> ids = new ArrayList<>();
        List<Map.Entry<String, String>> creates = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = String.format("large-batch-%04d", i);
            ids.add(id);
            JobSpec spec = new JobSpec(id, String.format("%04d ", i) + "a job with a long display name".repeat(8),
                    PROFILE + "src", PROFILE + "dst", DATABASES, null, null);
            Command create = Command.builder(CommandType.CREATE_JOB).job(spec).requestedBy("e2e-large-batch").build();
            creates.add(Map.entry(create.kafkaKey(), Json.write(create)));
        }
        long t0 = System.nanoTime();
        KafkaProbe.sendAll(KafkaProbe.TOPICS.commands(), creates);
        for (String id : ids) {
            while (job(id).statusCode() != 200) {
                assertTrue(System.nanoTime() - t0 < 300e9, "job " + id + " not created within 300 s");
                KafkaProbe.sleep(100);
            }
        }
        System.out.printf("%d jobs created through dms.commands in %.1f s%n", JOBS, (System.nanoTime() - t0) / 1e9);

        // 1. An Operation over the topic's limit (not the producer's: the broker refuses it): set aside, its stand-in
        // answers, the outbox goes on.
        long tv = System.nanoTime();
        Response verify = request().body(Map.of("jobIds", ids.subList(0, VERIFIED))).post("/v1/migration-jobs:batchVerify");
        JsonPath verified = verify.statusCode() == 202 ? awaitOperation(verify.path("name"), 120) : verify.jsonPath();
        System.out.printf("batchVerify of %d jobs (pre-flight reports over the limit): HTTP %d after %.1f s: %s%n", VERIFIED,
                verify.statusCode(), (System.nanoTime() - tv) / 1e9, verify.asString().substring(0, Math.min(400, verify.asString().length())));
        String message = verify.statusCode() == 202 ? verified.getString("error.message") : verified.getString("detail");
        assertTrue(message != null && message.contains("larger than Kafka's message limit and was not published (RecordTooLargeException"),
                verify.asString());
        if (verify.statusCode() != 202) {
            assertEquals(500, verify.statusCode());
        }
        assertEquals("1", TestStack.get().control().queryForString(DevStack.CONTROL_DATABASE,
                "SELECT count(*) FROM outbox WHERE failed_time IS NOT NULL AND topic = 'dms.operations' AND failure LIKE 'RecordTooLargeException%'"),
                "the refused record stays in the outbox table, with the reason");
        String metrics = request().baseUri(TestStack.service(DmsService.JOB_ORCHESTRATOR).url()).get("/q/metrics").asString();
        assertTrue(metrics.contains("dms_outbox_set_aside_total{topic=\"dms.operations\"} 1.0"), "dms_outbox_set_aside_total");
        request().body(Map.of("displayName", "after the verify")).patch("/v1/migration-jobs/" + ids.get(1)).then().statusCode(200)
                .body("response.displayName", containsString("after the verify"));

        // 2. A batch start of the 1,000 jobs: its Operation names them and fits.
        long t1 = System.nanoTime();
        Response start = request().body(Map.of("jobIds", ids, "skipValidation", true)).post("/v1/migration-jobs:batchStart");
        assertTrue(start.statusCode() == 200 || start.statusCode() == 202, start.statusCode() + " " + start.asString());
        JsonPath op = start.statusCode() == 200 ? start.jsonPath() : awaitOperation(start.path("name"), 120);
        int opBytes = Json.write(op.get()).getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("batchStart of %d jobs: HTTP %d, done after %.1f s; its Operation %d bytes%n", JOBS, start.statusCode(),
                (System.nanoTime() - t1) / 1e9, opBytes);
        assertNull(op.get("error"), () -> op.prettify());
        List<Map<String, Object>> named = op.getList("response.migrationJobs");
        assertEquals(JOBS, named.size());
        assertEquals(ids.get(7), named.get(7).get("id"));
        assertEquals("STARTING", named.get(7).get("state"));
        assertTrue(named.get(7).get("version") instanceof Number, "each job named with its state and version: " + named.get(7));
        assertNull(named.get(7).get("databaseProgress"), "not the whole document");
        if (start.statusCode() == 200) {
            assertEquals("STARTING", status(ids.get(JOBS - 1)), "a read right after the batch shows it");
        }
        long documents = ids.stream().mapToLong(id -> job(id).asString().getBytes(StandardCharsets.UTF_8).length).sum();
        System.out.printf("the %d job documents the Operation used to embed: %d bytes%n", JOBS, documents);
        assertTrue(documents > 1_048_576, "over Kafka's default limit: " + documents);

        long t2 = System.nanoTime();
        request().body(Map.of("id", "large-batch-after", "host", "127.0.0.1", "port", closed, "username", "u", "sslMode", "disable"))
                .post("/v1/connection-profiles").then().statusCode(200).body("done", org.hamcrest.Matchers.equalTo(true));
        System.out.printf("the command after it: applied in %.2f s%n", (System.nanoTime() - t2) / 1e9);

        // Gone again, so that no later test's workers pick the jobs' tasks up: deleted, cleaned up as a worker would say.
        Response delete = request().body(Map.of("jobIds", ids)).post("/v1/migration-jobs:batchDelete");
        assertTrue(delete.statusCode() == 200 || delete.statusCode() == 202, delete.asString());
        JsonPath deleted = delete.statusCode() == 200 ? delete.jsonPath() : awaitOperation(delete.path("name"), 120);
        assertNull(deleted.get("error"), () -> deleted.prettify());
        List<Map.Entry<String, String>> cleanedUp = new ArrayList<>();
        for (Map<String, Object> j : deleted.<Map<String, Object>>getList("response.migrationJobs")) {
            String id = (String) j.get("id");
            long epoch = ((Number) j.get("runEpoch")).longValue();
            for (String db : DATABASES) {
                cleanedUp.add(Map.entry(id, Json.write(WorkerEvent.signal(id, epoch, db, WorkerSignal.CLEANED_UP, "e2e-test"))));
            }
        }
        KafkaProbe.sendAll(KafkaProbe.TOPICS.progress(), cleanedUp);
        awaitStatus(ids.get(JOBS - 1), "404", 120);
    }

    private static void alterOperationsTopic(AlterConfigOp op) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, KafkaProbe.TOPICS.operations());
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }
    }
}
