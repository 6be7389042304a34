package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.JobPatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** 10,000 commands written straight to dms.commands: every one gets its Operation, and the last edit wins. */
class CommandFloodTest {

    private static final int COMMANDS = 10_000;

    @Test
    void aFloodOfEditsLosesNone() {
        createProfiles("flood");
        createJob("flood-1", "flood", List.of("app")).then().statusCode(200);
        long versionBefore = job("flood-1").jsonPath().getLong("version");
        List<Map.Entry<String, String>> records = new ArrayList<>();
        Set<String> pending = new HashSet<>();
        for (int i = 0; i < COMMANDS; i++) {
            Command edit = Command.builder(CommandType.UPDATE_JOB).jobId("flood-1")
                    .patch(new JobPatch("flood " + i, null, null)).requestedBy("e2e-flood").build();
            records.add(Map.entry(edit.kafkaKey(), Json.write(edit)));
            pending.add("operations/" + edit.commandId());
        }
        long t0 = System.nanoTime();
        KafkaProbe.sendAll(KafkaProbe.TOPICS.commands(), records);
        List<String> errors = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (ConsumerRecord<String, String> r : KafkaProbe.readAll(KafkaProbe.TOPICS.operations())) {
                if (pending.remove(r.key()) && r.value().contains("\"error\"")) {
                    errors.add(r.value());
                }
            }
            assertEquals(0, pending.size(), "commands without an Operation yet");
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d commands applied in %.1f s (%.0f/s)%n", COMMANDS, seconds, COMMANDS / seconds);
        assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())), errors.size() + " operations failed");
        assertEquals("flood " + (COMMANDS - 1), job("flood-1").path("displayName"));
        assertEquals(versionBefore + COMMANDS, KafkaCommandsTest.jobState("flood-1").path("version").asLong(), "one version per edit");
    }
}
