package dms.orchestrator.commands;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads dms.commands one record at a time, in order. The offset is committed after the
 * handler returns, so a crash replays the record; the operation name makes that harmless.
 */
@ApplicationScoped
public class CommandConsumer {

    @Inject
    CommandHandler handler;

    @Incoming("commands")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        handler.handle(record);
    }
}
