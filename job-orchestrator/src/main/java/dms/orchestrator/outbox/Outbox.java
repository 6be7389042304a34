package dms.orchestrator.outbox;

import dms.common.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Queues Kafka records inside the current transaction. They are sent by {@link OutboxRelay}
 * only after commit, in the order written, so Kafka never shows a state the control database
 * does not hold, and a crash after commit loses nothing.
 */
@ApplicationScoped
public class Outbox {

    public void add(String topic, String key, Object value) {
        add(topic, key, value, null);
    }

    public void add(String topic, String key, Object value, Map<String, String> headers) {
        OutboxEntity row = new OutboxEntity();
        row.topic = topic;
        row.recordKey = key;
        String text = value == null ? null : value instanceof String s ? s : Json.write(value);
        row.payload = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        row.headersJson = headers == null || headers.isEmpty() ? null : Json.write(headers);
        row.persist();
    }
}
