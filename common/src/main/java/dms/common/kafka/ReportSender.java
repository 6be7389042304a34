package dms.common.kafka;

import dms.common.json.Json;
import dms.common.messages.WorkerEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A worker's reports to dms.progress (key = jobId), each on the broker when {@link #send}
 * returns: work is acknowledged only after its report. The producer is made on first use, so
 * a worker starts while Kafka is still coming up.
 */
public final class ReportSender implements AutoCloseable {

    private final Map<String, Object> config;
    private final String topic;
    private KafkaProducer<String, String> producer;

    /** @param kafkaConfig the service's Kafka client settings (serializer and group settings are ignored) */
    public ReportSender(Map<String, Object> kafkaConfig, String topic) {
        this.config = clientConfig(kafkaConfig);
        this.config.put(ProducerConfig.ACKS_CONFIG, "all");
        this.config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.topic = topic;
    }

    /** The connection settings of a service's Kafka config, without (de)serializers and consumer-group settings. */
    public static Map<String, Object> clientConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> out = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.contains("serializer") && !k.startsWith("group")) {
                out.put(k, v);
            }
        });
        return out;
    }

    public void send(WorkerEvent event) {
        try {
            producer().send(new ProducerRecord<>(topic, event.jobId(), Json.write(event))).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot report to " + topic + ": " + e.getMessage(), e);
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
