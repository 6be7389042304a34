package dms.orchestrator.outbox;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonParseException;
import dms.common.json.Json;
import dms.common.messages.CommandType;
import dms.common.messages.ErrorInfo;
import dms.common.messages.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** What the outbox relay does with each record Kafka did not take, without a broker. */
class RelayRoundTest {

    private static final RecordTooLargeException TOO_LARGE = new RecordTooLargeException(
            "The message is 1200000 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.");

    @Test
    void aRecordRefusedForGoodIsSetAsideAnythingElseIsRetried() {
        assertEquals(SendFailures.Decision.SET_ASIDE, SendFailures.decide(TOO_LARGE));
        assertEquals(SendFailures.Decision.SET_ASIDE, SendFailures.decide(new ExecutionException(TOO_LARGE)));
        assertEquals(SendFailures.Decision.SET_ASIDE, SendFailures.decide(new InvalidTopicException("bad name")));
        assertEquals(SendFailures.Decision.SET_ASIDE, SendFailures.decide(new SerializationException("no")));
        assertEquals(SendFailures.Decision.SET_ASIDE, SendFailures.decide(new JsonParseException(null, "damaged headers")));
        // The broker away, a leader moving, a topic not created yet, missing rights: the cluster, not the record.
        assertEquals(SendFailures.Decision.RETRY, SendFailures.decide(new TimeoutException("30 s")));
        assertEquals(SendFailures.Decision.RETRY, SendFailures.decide(new org.apache.kafka.common.errors.TimeoutException("expired")));
        assertEquals(SendFailures.Decision.RETRY, SendFailures.decide(new NotLeaderOrFollowerException("moved")));
        assertEquals(SendFailures.Decision.RETRY, SendFailures.decide(new UnknownTopicOrPartitionException("not yet")));
        assertEquals(SendFailures.Decision.RETRY, SendFailures.decide(new TopicAuthorizationException("no ACL")));
        assertEquals(SendFailures.Decision.RETRY, SendFailures.decide(new InterruptedException()));
        assertTrue(SendFailures.tooLarge(new ExecutionException(TOO_LARGE)));
        assertFalse(SendFailures.tooLarge(new InvalidTopicException("bad name")));
        assertTrue(SendFailures.reason(new ExecutionException(TOO_LARGE)).startsWith("RecordTooLargeException: The message is 1200000 bytes"));
    }

    @Test
    void theRecordsAfterOneSetAsideGoOn() {
        List<OutboxEntity> rows = rows(4);
        RelayRound round = RelayRound.of(rows, outcomes(null, TOO_LARGE, null, null));
        assertEquals(List.of(1L, 3L, 4L), ids(round.sent()));
        assertEquals(List.of(2L), round.setAside().stream().map(s -> s.row().id).toList());
        assertSame(TOO_LARGE, round.setAside().get(0).failure());
        assertNull(round.retry());
    }

    @Test
    void aFailureWorthRetryingStopsTheRoundThereInOrder() {
        List<OutboxEntity> rows = rows(5);
        List<Integer> asked = new ArrayList<>();
        TimeoutException away = new TimeoutException("broker away");
        RelayRound round = RelayRound.of(rows, i -> {
            asked.add(i);
            return List.of(Boolean.FALSE, Boolean.TRUE, Boolean.FALSE, Boolean.FALSE, Boolean.FALSE).get(i) ? TOO_LARGE
                    : i == 2 ? away : null;
        });
        assertEquals(List.of(1L), ids(round.sent()));
        assertEquals(1, round.setAside().size(), "what was decided before the stop is kept");
        assertSame(away, round.retry());
        assertEquals(List.of(0, 1, 2), asked, "rows 4 and 5 wait for the next round, after row 3");
    }

    @Test
    void aTooLargeOperationIsStoodInForByAnErrorOfTheSameNameAndMetadata() {
        Operation original = new Operation("operations/b1", true, null, Json.tree(Map.of("migrationJobs", List.of("x".repeat(100)))),
                new Operation.OperationMetadata(CommandType.STOP, "migrationJobs", List.of("a", "b"), "ci", Instant.EPOCH, Instant.EPOCH));
        byte[] bytes = Json.write(original).getBytes(StandardCharsets.UTF_8);
        Operation standIn = TooLargeOperation.replacing("operations/b1", bytes, 1_200_000, SendFailures.reason(TOO_LARGE));
        assertEquals("operations/b1", standIn.name());
        assertTrue(standIn.done());
        assertNull(standIn.response());
        assertEquals(original.metadata(), standIn.metadata());
        assertEquals(ErrorInfo.INTERNAL, standIn.error().code());
        assertTrue(standIn.error().message().startsWith("the command was applied, but its Operation (1200000 bytes) is larger than"
                + " Kafka's message limit and was not published (RecordTooLargeException: "), standIn.error().message());
        assertTrue(Json.write(standIn).length() < 2000);

        Operation unreadable = TooLargeOperation.replacing("operations/b2", "{not json".getBytes(StandardCharsets.UTF_8), 9, "x");
        assertEquals("operations/b2", unreadable.name());
        assertNull(unreadable.metadata());
    }

    private static List<OutboxEntity> rows(int n) {
        List<OutboxEntity> rows = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            OutboxEntity row = new OutboxEntity();
            row.id = id;
            row.topic = "dms.operations";
            rows.add(row);
        }
        return rows;
    }

    private static java.util.function.IntFunction<Throwable> outcomes(Throwable... failures) {
        return i -> failures[i];
    }

    private static List<Long> ids(List<OutboxEntity> rows) {
        return rows.stream().map(r -> r.id).toList();
    }
}
