package dms.api.commands;

import dms.api.config.ApiSettings;
import dms.api.problems.Problems;
import dms.api.projection.ProjectionStatus;
import dms.common.json.Json;
import dms.common.messages.Command;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes commands to {@code dms.commands} and returns once the brokers acknowledged them
 * (acks=all). Every Kafka wait is bounded by the operation wait, so a call with Kafka down
 * answers 503 in time instead of hanging.
 */
@ApplicationScoped
public class CommandPublisher {

    @Inject
    ApiSettings settings;
    @Inject
    ProjectionStatus status;

    private KafkaProducer<String, String> producer;

    /** Publishes, or throws a 503 problem when Kafka does not take the command before {@code deadlineNanos}. */
    public void publish(Command command, long deadlineNanos) {
        if (!status.topicsReady()) {
            throw Problems.unavailable("Kafka is not reachable yet; the command was not sent");
        }
        ProducerRecord<String, String> record =
                new ProducerRecord<>(settings.topics().commands(), command.kafkaKey(), Json.write(command));
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            producer().send(record).get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.unavailable("interrupted while sending the command");
        } catch (TimeoutException | ExecutionException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw Problems.unavailable("Kafka did not accept the command within " + settings.operationWait().toMillis()
                    + " ms (" + cause.getClass().getSimpleName() + "); it may not have been sent");
        }
    }

    /** Created on first use: the app starts, and answers 503, even when Kafka cannot be reached. */
    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig(settings.kafkaConfig(), settings.operationWait()));
        }
        return producer;
    }

    static Map<String, Object> producerConfig(Map<String, Object> config, Duration wait) {
        int waitMs = (int) Math.max(1000, wait.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "dms-api-commands");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // The producer gives up on a record when the caller does, so a 503 rarely hides a late write.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, waitMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, waitMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, waitMs);
        return config;
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
        }
    }
}
