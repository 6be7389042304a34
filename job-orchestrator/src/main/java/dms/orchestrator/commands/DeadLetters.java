package dms.orchestrator.commands;

import dms.common.kafka.Topics;
import dms.common.secret.Redaction;
import dms.orchestrator.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Sends a refused command record to dms.commands.dlq with the reason and its origin in headers,
 * in the same transaction as its error Operation. The value is passed on as it came but with
 * secrets masked ({@link Redaction}): a profile command carries its password in clear.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON_HEADER = "dms-dlq-reason";

    @Inject
    Outbox outbox;

    @Inject
    Topics topics;

    public void add(ConsumerRecord<String, String> record, String reason, String operationName) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(REASON_HEADER, reason);
        headers.put("dms-dlq-operation", operationName);
        headers.put("dms-dlq-origin", record.topic() + "/" + record.partition() + "/" + record.offset());
        outbox.add(topics.commandsDlq(), record.key(), Redaction.redactJson(record.value()), headers);
    }
}
