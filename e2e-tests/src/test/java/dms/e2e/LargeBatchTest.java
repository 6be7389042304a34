package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.JobSpec;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.devstack.FreePorts;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch of 1,000 jobs, whose documents together are more than Kafka's message limit (1 MiB): its
 * Operation names the jobs instead of embedding them, so the call answers, and the commands after
 * it are applied (an Operation over the limit used to block the outbox, every later command
 * answering 202 for ever).
 */
class LargeBatchTest {

    private static final int JOBS = 1000;
    private static final int KAFKA_LIMIT = 1_048_576;

    @BeforeAll
    static void noRealWorkers() {
        TestStack.withoutWorkers();
    }

    @Test
    void aBatchStartOfAThousandJobsAnswersAndTheNextCommandIsApplied() {
        // Profiles on a port where nothing listens: a create compares the two servers, which fails at once here.
        int closed = FreePorts.pick();
        for (String side : List.of("src", "dst")) {
            request().body(Map.of("id", "large-batch-" + side, "host", "127.0.0.1", "port", closed, "username", "u",
                    "password", "p", "sslMode", "disable")).post("/v1/connection-profiles").then().statusCode(200);
        }
        List<String> ids = new ArrayList<>();
        List<Map.Entry<String, String>> creates = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = String.format("large-batch-%04d", i);
            ids.add(id);
            // Long names, as real ones can be: each document is over a kilobyte.
            JobSpec spec = new JobSpec(id, "a job with a long display name " + "x".repeat(200) + " " + i,
                    "large-batch-src", "large-batch-dst", List.of("database_one_" + "d".repeat(40), "database_two_" + "d".repeat(40)),
                    null, null);
            Command create = Command.builder(CommandType.CREATE_JOB).job(spec).requestedBy("e2e-large-batch").build();
            creates.add(Map.entry(create.kafkaKey(), Json.write(create)));
        }
        long t0 = System.nanoTime();
        KafkaProbe.sendAll(KafkaProbe.TOPICS.commands(), creates);
        for (String id : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> job(id).statusCode() == 200);
        }
        System.out.printf("%d jobs created through dms.commands in %.1f s%n", JOBS, (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        Response start = request().body(Map.of("jobIds", ids, "skipValidation", true)).post("/v1/migration-jobs:batchStart");
        assertTrue(start.statusCode() == 200 || start.statusCode() == 202, start.statusCode() + " " + start.asString());
        JsonPath op = start.statusCode() == 200 ? start.jsonPath() : awaitOperation(start.path("name"), 60);
        double seconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf("batchStart of %d jobs: HTTP %d, done after %.2f s; its Operation %d bytes%n", JOBS, start.statusCode(),
                seconds, Json.write(op.get()).getBytes(StandardCharsets.UTF_8).length);
        assertNull(op.get("error"), () -> op.prettify());
        List<Map<String, Object>> named = op.getList("response.migrationJobs");
        assertEquals(JOBS, named.size());
        assertEquals(ids.get(7), named.get(7).get("id"));
        assertEquals("STARTING", named.get(7).get("state"));
        assertTrue(named.get(7).get("version") instanceof Number, "the batch names each job, its state and version: " + named.get(7));
        assertNull(named.get(7).get("databaseProgress"), "not the whole document");
        assertEquals("STARTING", status(ids.get(JOBS - 1)), "a read right after the batch shows it");

        // The documents the Operation used to embed: together they are over Kafka's limit.
        long documents = ids.stream().limit(JOBS).mapToLong(id -> job(id).asString().getBytes(StandardCharsets.UTF_8).length).sum();
        assertTrue(documents > KAFKA_LIMIT, "the jobs' documents take " + documents + " bytes");

        // The next command is applied (the outbox is not stuck behind the batch).
        long t2 = System.nanoTime();
        request().body(Map.of("displayName", "after the batch")).patch("/v1/migration-jobs/" + ids.get(0))
                .then().statusCode(200);
        assertEquals("after the batch", job(ids.get(0)).path("displayName"));
        System.out.printf("the command after it: applied in %.2f s%n", (System.nanoTime() - t2) / 1e9);

        // Gone again, so that no later test's workers pick the jobs' tasks up: deleted, then cleaned up as a worker would say.
        Response delete = request().body(Map.of("jobIds", ids)).post("/v1/migration-jobs:batchDelete");
        assertTrue(delete.statusCode() == 200 || delete.statusCode() == 202, delete.asString());
        JsonPath deleted = delete.statusCode() == 200 ? delete.jsonPath() : awaitOperation(delete.path("name"), 60);
        assertNull(deleted.get("error"), () -> deleted.prettify());
        List<Map.Entry<String, String>> cleanedUp = new ArrayList<>();
        for (Map<String, Object> j : deleted.<Map<String, Object>>getList("response.migrationJobs")) {
            String id = (String) j.get("id");
            long epoch = ((Number) j.get("runEpoch")).longValue();
            for (String db : List.of("database_one_" + "d".repeat(40), "database_two_" + "d".repeat(40))) {
                cleanedUp.add(Map.entry(id, Json.write(WorkerEvent.signal(id, epoch, db, WorkerSignal.CLEANED_UP, "e2e-test"))));
            }
        }
        KafkaProbe.sendAll(KafkaProbe.TOPICS.progress(), cleanedUp);
        awaitStatus(ids.get(JOBS - 1), "404", 120);
    }
}
