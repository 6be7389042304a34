package dms.orchestrator.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.messages.WorkerEvent;
import dms.orchestrator.commands.Retry;
import dms.orchestrator.store.ConsumedOffsets;
import dms.orchestrator.store.StateWriter;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads workers' reports from dms.progress and applies them to the jobs, one at a time, each exactly once
 * (a record delivered again after a broker outage or a restart is recognized by its offset: {@link ConsumedOffsets}).
 */
@ApplicationScoped
public class WorkerEventConsumer {

    private static final Logger LOG = Logger.getLogger(WorkerEventConsumer.class);

    @Inject
    StateWriter writer;
    @Inject
    WorkerEventHandler handler;
    @Inject
    Retry retry;
    @Inject
    ConsumedOffsets offsets;

    @Incoming("progress")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        WorkerEvent event;
        try {
            event = record.value() == null ? null : Json.read(record.value(), WorkerEvent.class);
        } catch (JsonProcessingException e) {
            event = null;
        }
        if (event == null || event.jobId() == null || event.database() == null) {
            LOG.warnf("Dropped a progress record that is not a worker event (%s/%d/%d)",
                    record.topic(), record.partition(), record.offset());
            return;
        }
        WorkerEvent accepted = event;
        try {
            retry.run("worker event " + event.eventId(), () -> writer.write(() -> {
                if (offsets.applied(record)) {
                    LOG.debugf("Worker event %s delivered again (%s/%d/%d): already applied", accepted.eventId(),
                            record.topic(), record.partition(), record.offset());
                    return;
                }
                handler.apply(accepted);
                offsets.markApplied(record);
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Dropped worker event %s of job %s: it could not be applied", event.eventId(), event.jobId());
        }
    }
}
