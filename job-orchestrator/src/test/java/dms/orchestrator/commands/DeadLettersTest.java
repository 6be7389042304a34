package dms.orchestrator.commands;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.validation.CommandParser;
import dms.orchestrator.outbox.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A refused profile command reaches the dead-letter queue without its password, in the value, the reason or the headers. */
class DeadLettersTest {

    private static final String SECRET = "Hunter2-s3cret";

    /** What the outbox was given: topic, key, value, headers. */
    private record Sent(String topic, String key, Object value, Map<String, String> headers) {}

    private static List<Sent> deadLetter(String value) {
        List<Sent> sent = new ArrayList<>();
        DeadLetters dlq = new DeadLetters();
        dlq.topics = new Topics(null);
        dlq.outbox = new Outbox() {
            @Override
            public void add(String topic, String key, Object v, Map<String, String> headers) {
                sent.add(new Sent(topic, key, v, headers));
            }
        };
        CommandParser.Result parsed = CommandParser.parse(value);
        assertFalse(parsed.ok());
        dlq.add(new ConsumerRecord<>("dms.commands", 1, 42L, "k", value), parsed.reason(), "operations/c-1");
        return sent;
    }

    @Test
    void aRefusedProfileCommandsPasswordIsMasked() {
        ConnectionProfile bad = new ConnectionProfile("p1", null, "db/x?sslmode=disable", 5432, "u", SECRET, null, null, null);
        String raw = Json.write(Command.builder(CommandType.CREATE_CONNECTION_PROFILE).commandId("c-1").connectionProfile(bad).build());
        Sent sent = deadLetter(raw).get(0);
        assertEquals("dms.commands.dlq", sent.topic());
        assertEquals("k", sent.key());
        assertTrue(sent.value().toString().contains("\"password\":\"***\""), sent.value().toString());
        assertTrue(sent.headers().get(DeadLetters.REASON_HEADER).startsWith("connectionProfile.host: "), sent.headers().toString());
        assertEquals("dms.commands/1/42", sent.headers().get("dms-dlq-origin"));
        assertFalse(sent.toString().contains("Hunter2"), sent.toString());
    }

    @Test
    void malformedJsonWithAPasswordIsMaskedOrWithheld() {
        Sent cut = deadLetter("{\"commandId\":\"c-1\",\"type\":\"CREATE_CONNECTION_PROFILE\",\"connectionProfile\":{\"password\":\"" + SECRET).get(0);
        assertFalse(cut.toString().contains("Hunter2"), cut.toString());
        Sent bare = deadLetter("{\"connectionProfile\":{\"password\":" + SECRET + "}}").get(0);
        assertEquals("{\"connectionProfile\":{\"password\":\"***\"}}", bare.value());
        assertFalse(bare.toString().contains("Hunter2"), bare.toString());
    }

    @Test
    void aRecordWithoutSecretsIsPassedOnAsItCame() {
        String raw = "{\"commandId\":\"c-1\", \"type\":\"SELF_DESTRUCT\"}";
        assertSame(raw, deadLetter(raw).get(0).value());
    }
}
