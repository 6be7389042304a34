package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random hostile input (fixed seeds) at the REST API and the command topic: never a 500, always
 * a problem document, and the command consumer is never stuck.
 */
class HostileInputTest {

    private static final List<String> PROFILE_FIELDS = List.of("id", "displayName", "host", "port", "username", "password", "sslMode");
    private static final List<String> JOB_FIELDS = List.of("id", "displayName", "source", "destination", "databases", "dumpParallelism", "draft");
    private static final List<String> COMMAND_FIELDS = List.of("commandId", "type", "jobId", "jobIds", "profileId", "requestedBy",
            "job", "patch", "connectionProfile", "databases", "purgeDestination");

    /** Answered by the HTTP codec before any route (a request line over 4096 bytes), so without a body. */
    private static final int URI_TOO_LONG = 414;

    @BeforeAll
    static void aJobToAimAt() {
        TestStack.withoutWorkers();
        createProfiles("hostile");
        createJob("hostile-1", "hostile", List.of("app")).then().statusCode(200);
    }

    @Test
    void randomRequestsNeverCauseA500() {
        RandomInput in = new RandomInput(20261202L);
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (int i = 0; i < 600; i++) {
            String job = in.nextInt(2) == 0 ? "hostile-1" : in.urlPart();
            Response r = switch (i % 10) {
                case 0 -> raw().body(in.body(PROFILE_FIELDS)).post("/v1/connection-profiles");
                case 1 -> raw().body(in.body(JOB_FIELDS)).post("/v1/migration-jobs");
                case 2 -> raw().body(in.body(List.of("displayName", "databases", "dumpParallelism"))).patch("/v1/migration-jobs/" + job);
                case 3 -> raw().body(in.body(List.of("databases"))).post("/v1/migration-jobs/" + job + ":" + in.urlPart());
                case 4 -> raw().body(in.body(List.of("jobIds"))).post("/v1/migration-jobs:batch" + (in.nextInt(2) == 0 ? "Stop" : in.urlPart()));
                case 5 -> raw().get("/v1/migration-jobs?state=" + in.urlPart() + "&showDeleted=" + in.urlPart());
                case 6 -> raw().get("/v1/migration-jobs/" + in.urlPart() + (in.nextInt(2) == 0 ? "/events" : ""));
                case 7 -> raw().get("/v1/operations/" + in.urlPart());
                case 8 -> raw().delete("/v1/connection-profiles/" + in.urlPart());
                default -> raw().delete("/v1/migration-jobs/" + in.urlPart() + "?purgeDestination=" + in.urlPart());
            };
            requests++;
            int status = r.statusCode();
            if (status >= 500) {
                failures.add(status + " for request " + i + ": " + r.asString());
            } else if (status >= 400 && status != URI_TOO_LONG && !String.valueOf(r.contentType()).startsWith("application/problem+json")) {
                failures.add(status + " without a problem document for request " + i + ": " + r.contentType());
            }
        }
        assertEquals(List.of(), failures, requests + " requests");
        // Still serving, and the job aimed at is intact.
        assertEquals("NOT_STARTED", status("hostile-1"));
    }

    @Test
    void garbageOnTheCommandTopicNeverStopsTheConsumer() {
        RandomInput in = new RandomInput(4242L);
        String topic = KafkaProbe.TOPICS.commands();
        Set<String> mustBeDead = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String value = switch (i % 6) {
                case 0 -> in.json(3);
                case 1 -> in.object(2, COMMAND_FIELDS);
                case 2 -> "{\"commandId\":" + RandomInput.quoted("hostile-" + i) + ",\"type\":"
                        + RandomInput.quoted(CommandType.values()[in.nextInt(CommandType.values().length)].name()) + ","
                        + in.object(2, COMMAND_FIELDS).substring(1);
                case 3 -> "\u0000\u00ff" + in.string();
                case 4 -> "{\"commandId\":\"hostile-sql-" + i + "\",\"type\":\"START\",\"jobId\":" + RandomInput.quoted(in.nasty()) + "}";
                default -> "{\"commandId\":\"hostile-big-" + i + "\",\"type\":\"UPDATE_JOB\",\"jobId\":\"hostile-1\",\"patch\":{\"displayName\":"
                        + RandomInput.quoted("z".repeat(100_000)) + "}}";
            };
            KafkaProbe.send(topic, in.nextInt(5) == 0 ? null : in.string(), value);
            if (i % 6 != 5) { // the long name may be accepted as an edit; everything else is refused
                // As the broker keeps it: a lone surrogate does not survive UTF-8.
                mustBeDead.add(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            }
        }
        KafkaProbe.send(topic, "hostile-1", null); // a tombstone

        Command rename = Command.builder(CommandType.UPDATE_JOB).jobId("hostile-1")
                .patch(new dms.common.messages.JobPatch("renamed after the garbage", null, null)).requestedBy("e2e").build();
        long t0 = System.nanoTime();
        KafkaCommandsTest.send(rename);
        // Behind the garbage of its partition, each refused record an Operation and a DLQ record of its own.
        JsonNode op = KafkaCommandsTest.tree(KafkaProbe.await(KafkaProbe.TOPICS.operations(),
                r -> r.key().equals("operations/" + rename.commandId()), Duration.ofSeconds(90)).value());
        System.out.printf("the edit after the garbage was applied %.1f s after it was sent%n", (System.nanoTime() - t0) / 1e9);
        assertFalse(op.has("error"), op.toString());
        assertEquals("renamed after the garbage", job("hostile-1").path("displayName"));
        assertEquals("NOT_STARTED", status("hostile-1"));

        // Every refused record is on the dead-letter queue with its reason (other partitions may still be catching up).
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> missing = new HashSet<>(mustBeDead);
            for (ConsumerRecord<String, String> r : KafkaProbe.readAll(KafkaProbe.TOPICS.commandsDlq())) {
                if (r.headers().lastHeader("dms-dlq-reason") != null) {
                    missing.remove(r.value());
                }
            }
            assertEquals(Set.of(), missing, "not dead-lettered (of " + mustBeDead.size() + ")");
        });
        assertTrue(TestStack.service(dms.devstack.DmsService.JOB_ORCHESTRATOR).isAlive());
    }

    private static io.restassured.specification.RequestSpecification raw() {
        return request().contentType("application/json; charset=UTF-8");
    }
}
