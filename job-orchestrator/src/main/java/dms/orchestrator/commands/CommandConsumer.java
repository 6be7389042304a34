package dms.orchestrator.commands;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads dms.commands one record at a time, in order. The offset is committed after the
 * handler returns, so a crash replays the record; the operation name makes that harmless.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    @Inject
    CommandHandler handler;

    @Incoming("commands")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        try {
            handler.handle(record);
        } catch (RuntimeException e) {
            // Only reached when even the refusal could not be recorded: never stop the consumer for one record.
            LOG.errorf(e, "Command record %s/%d/%d dropped: it could not be applied nor refused",
                    record.topic(), record.partition(), record.offset());
        }
    }
}
