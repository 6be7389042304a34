package dms.orchestrator.kafka;

import dms.common.kafka.TopicCreator;
import dms.common.kafka.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Kafka clients of the orchestrator beyond its SmallRye consumers: the outbox producer and
 * topic creation. They take the same {@code kafka.*} settings (bootstrap, SASL, TLS) as the
 * SmallRye channels, through Quarkus's default-kafka-broker configuration map.
 */
@ApplicationScoped
public class KafkaClients {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "dms.topic-prefix", defaultValue = Topics.DEFAULT_PREFIX)
    String topicPrefix;

    @ConfigProperty(name = "dms.kafka.replication-factor", defaultValue = "1")
    int replicationFactor;

    /**
     * The largest record the outbox sends (the producer's max.request.size): Kafka's default, which
     * a broker's default message.max.bytes (1 MiB + 12 bytes) takes. A larger record is set aside by
     * the relay, never sent; job documents stay under half of it (JobDocumentSize).
     */
    @ConfigProperty(name = "dms.kafka.max-record-bytes", defaultValue = "1048576")
    int maxRecordBytes;

    @Produces
    @ApplicationScoped
    Topics topics() {
        return new Topics(topicPrefix);
    }

    @Produces
    @ApplicationScoped
    KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    void close(@Disposes KafkaProducer<String, byte[]> producer) {
        producer.close(Duration.ofSeconds(5));
    }

    public void ensureTopicsInBackground(Topics topics, java.util.function.Consumer<String> onRetry) {
        TopicCreator.ensureTopicsInBackground(clientConfig(), topics, replicationFactor, onRetry);
    }

    /** The default-kafka-broker map without the settings that belong to consumers or SmallRye. */
    private Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.contains("deserializer") && !k.contains("serializer") && !k.startsWith("topic")) {
                config.put(k, v);
            }
        });
        return config;
    }
}
