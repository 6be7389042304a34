package dms.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobSpec;
import dms.common.statemachine.WorkerSignal;
import dms.devstack.PgCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The command topic as automation uses it: JSON records on dms.commands, results read from
 * dms.operations and dms.job-state. No REST anywhere in this class.
 */
class KafkaCommandsTest {

    @org.junit.jupiter.api.BeforeAll
    static void noRealWorkers() {
        TestStack.withoutWorkers();
    }

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aWholeLifecycleDrivenOnlyByCommandRecords() {
        createProfile(profile("kc-src", TestStack.get().source()));
        createProfile(profile("kc-dst", TestStack.get().destination()));
        JsonNode created = operation(send(Command.builder(CommandType.CREATE_JOB)
                .job(new JobSpec("kc-1", "from kafka", "kc-src", "kc-dst", List.of("app"), null, null)).build()));
        assertEquals("NOT_STARTED", created.path("response").path("state").asText(), created.toString());

        assertFalse(operation(send(action(CommandType.START, "kc-1"))).has("error"));
        awaitJob("kc-1", "STARTING", null);
        long run = jobState("kc-1").path("runEpoch").asLong();
        KafkaProbe.signal("kc-1", run, "app", WorkerSignal.DUMP_STARTED);
        awaitJob("kc-1", "RUNNING", "FULL_DUMP");
        KafkaProbe.signal("kc-1", run, "app", WorkerSignal.DUMP_COMPLETED);
        awaitJob("kc-1", "RUNNING", "CDC");

        JsonNode refused = operation(send(action(CommandType.RESUME, "kc-1")));
        assertEquals("FAILED_PRECONDITION", refused.path("error").path("code").asText());
        assertEquals("RUNNING", refused.path("error").path("details").path("state").asText());

        // A worker reports only after the command reached it: the signals below wait for the move they answer.
        send(action(CommandType.STOP, "kc-1"));
        awaitJob("kc-1", "STOPPING", "CDC");
        KafkaProbe.signal("kc-1", run, "app", WorkerSignal.STOPPED);
        awaitJob("kc-1", "STOPPED", "CDC");
        send(action(CommandType.RESUME, "kc-1"));
        awaitJob("kc-1", "RESUMING", "CDC");
        long resumed = jobState("kc-1").path("runEpoch").asLong();
        KafkaProbe.signal("kc-1", resumed, "app", WorkerSignal.RESUMED);
        awaitJob("kc-1", "RUNNING", "CDC");
        send(action(CommandType.PROMOTE, "kc-1"));
        awaitJob("kc-1", "RUNNING", "PROMOTE_IN_PROGRESS");
        KafkaProbe.signal("kc-1", resumed, "app", WorkerSignal.PROMOTED);
        awaitJob("kc-1", "COMPLETED", null);
        send(action(CommandType.DELETE, "kc-1"));
        awaitJob("kc-1", "DELETING", ANY_PHASE);
        KafkaProbe.signal("kc-1", resumed, "app", WorkerSignal.CLEANED_UP);
        awaitJob("kc-1", "DELETED", null);
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueWithAReasonAndTheConsumerGoesOn() {
        String unknownJob = Json.write(action(CommandType.START, "no-such-job"));
        String unknownType = "{\"commandId\":\"dlq-type-" + UUID.randomUUID() + "\",\"type\":\"SELF_DESTRUCT\",\"jobId\":\"x\"}";
        String truncated = "{\"commandId\":\"dlq-trunc\",\"type\":\"START\",\"jobId\":\"j";
        String garbage = "\u0000\u00ff garbage " + UUID.randomUUID();
        for (String raw : List.of(garbage, truncated, unknownType, unknownJob)) {
            KafkaProbe.send(KafkaProbe.TOPICS.commands(), "x", raw);
        }
        for (String raw : List.of(garbage, truncated, unknownType, unknownJob)) {
            ConsumerRecord<String, String> dead = KafkaProbe.await(KafkaProbe.TOPICS.commandsDlq(), r -> raw.equals(r.value()), WAIT);
            Header reason = dead.headers().lastHeader("dms-dlq-reason");
            assertNotNull(reason, "the DLQ record says why");
            assertFalse(new String(reason.value(), StandardCharsets.UTF_8).isBlank());
        }
        String reasonOfUnknownJob = header(KafkaProbe.await(KafkaProbe.TOPICS.commandsDlq(), r -> unknownJob.equals(r.value()), WAIT), "dms-dlq-reason");
        assertTrue(reasonOfUnknownJob.contains("no-such-job"), reasonOfUnknownJob);
        String reasonOfType = header(KafkaProbe.await(KafkaProbe.TOPICS.commandsDlq(), r -> unknownType.equals(r.value()), WAIT), "dms-dlq-reason");
        assertTrue(reasonOfType.contains("type"), reasonOfType);

        // The consumer is not stuck: a valid command right after is applied.
        JsonNode ok = operation(send(Command.builder(CommandType.CREATE_CONNECTION_PROFILE)
                .connectionProfile(profile("after-dlq", TestStack.get().source())).build()));
        assertFalse(ok.has("error"), ok.toString());
    }

    @Test
    void aRefusedProfileCommandReachesTheDeadLetterQueueWithoutItsPassword() {
        String password = "Dlq-Probe-" + UUID.randomUUID();
        ConnectionProfile bad = new ConnectionProfile("dlq-pw", null, "db/postgres?sslmode=disable&x=", 5432, PgCluster.USER, password,
                null, "disable", null);
        Command refused = send(Command.builder(CommandType.CREATE_CONNECTION_PROFILE).connectionProfile(bad));
        JsonNode op = operation(refused);
        assertEquals("INVALID_ARGUMENT", op.path("error").path("code").asText(), op.toString());
        assertTrue(op.path("error").path("message").asText().contains("connectionProfile.host"), op.toString());
        ConsumerRecord<String, String> dead = KafkaProbe.await(KafkaProbe.TOPICS.commandsDlq(),
                r -> r.value() != null && r.value().contains(refused.commandId()), WAIT);
        assertEquals("***", tree(dead.value()).path("connectionProfile").path("password").asText(), dead.value());
        assertFalse(dead.value().contains(password), dead.value());
        assertFalse(header(dead, "dms-dlq-reason").contains(password));
        assertFalse(op.toString().contains(password));
    }

    @Test
    void theSameCommandIdTwiceIsAppliedOnce() {
        createProfile(profile("idem-src", TestStack.get().source()));
        createProfile(profile("idem-dst", TestStack.get().destination()));
        operation(send(Command.builder(CommandType.CREATE_JOB)
                .job(new JobSpec("idem-1", null, "idem-src", "idem-dst", List.of("app"), null, null)).build()));
        Command start = action(CommandType.START, "idem-1");
        send(start);
        send(start);
        Command stop = action(CommandType.STOP, "idem-1");
        JsonNode first = operation(send(start));
        assertFalse(first.has("error"));
        awaitJob("idem-1", "STARTING", null);
        // A later command proves both copies of start were consumed before we count.
        operation(send(stop));
        assertEquals(1, jobState("idem-1").path("runEpoch").asLong(), "started once");
        long startsInTrail = KafkaProbe.readAll(KafkaProbe.TOPICS.jobEvents()).stream()
                .filter(r -> "idem-1".equals(r.key()) && r.value().contains("\"toState\":\"STARTING\"")).count();
        assertEquals(1, startsInTrail);
        long startOperations = KafkaProbe.readAll(KafkaProbe.TOPICS.operations()).stream()
                .filter(r -> r.key().equals("operations/" + start.commandId())).count();
        assertEquals(1, startOperations, "one operation for one commandId");
    }

    /**
     * A profile's commands are keyed by the profile, a job's by the job: they may sit on different partitions, so
     * automation waits for the profile's Operation before it creates a job that names it.
     */
    static void createProfile(ConnectionProfile profile) {
        JsonNode op = operation(send(Command.builder(CommandType.CREATE_CONNECTION_PROFILE).connectionProfile(profile).build()));
        assertFalse(op.has("error"), op.toString());
    }

    static Command send(Command.Builder builder) {
        return send(builder.requestedBy("e2e-automation").build());
    }

    static Command send(Command command) {
        KafkaProbe.send(KafkaProbe.TOPICS.commands(), command.kafkaKey(), Json.write(command));
        return command;
    }

    /** This test plays the workers on databases that do not exist: start and restart skip the pre-flight. */
    static Command action(CommandType type, String jobId) {
        boolean checked = type == CommandType.START || type == CommandType.RESTART;
        return Command.builder(type).jobId(jobId).requestedBy("e2e-automation").skipValidation(checked ? true : null).build();
    }

    static ConnectionProfile profile(String id, PgCluster cluster) {
        return new ConnectionProfile(id, null, "127.0.0.1", cluster.port(), PgCluster.USER, PgCluster.PASSWORD, null, "disable", null);
    }

    /** The finished operation of a command, read from dms.operations. */
    static JsonNode operation(Command command) {
        ConsumerRecord<String, String> r = KafkaProbe.await(KafkaProbe.TOPICS.operations(),
                rec -> rec.key().equals("operations/" + command.commandId()), WAIT);
        return tree(r.value());
    }

    /** The newest job document on dms.job-state. */
    static JsonNode jobState(String jobId) {
        JsonNode newest = null;
        for (ConsumerRecord<String, String> r : KafkaProbe.readAll(KafkaProbe.TOPICS.jobState())) {
            if (jobId.equals(r.key()) && r.value() != null) {
                JsonNode doc = tree(r.value());
                if (newest == null || doc.path("version").asLong() > newest.path("version").asLong()) {
                    newest = doc;
                }
            }
        }
        return newest;
    }

    /** For {@link #awaitJob}: the state alone decides. */
    static final String ANY_PHASE = "*";

    static void awaitJob(String jobId, String state, String phase) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode doc = null;
        while (System.nanoTime() < deadline) {
            doc = jobState(jobId);
            if (doc != null && state.equals(doc.path("state").asText())
                    && (phase == null ? !doc.hasNonNull("phase")
                        : phase.equals(ANY_PHASE) || phase.equals(doc.path("phase").asText()))) {
                return;
            }
            KafkaProbe.sleep(150);
        }
        fail("job " + jobId + " did not reach " + state + "/" + phase + "; last document: " + doc);
    }

    static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
