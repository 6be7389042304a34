package dms.api.config;

import dms.common.kafka.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The service's settings in one place (keys in application.properties). */
@ApplicationScoped
public class ApiSettings {

    @ConfigProperty(name = "dms.topic-prefix", defaultValue = Topics.DEFAULT_PREFIX)
    String topicPrefix;

    @ConfigProperty(name = "dms.api.operation-wait", defaultValue = "5s")
    Duration operationWait;

    @ConfigProperty(name = "dms.kafka.replication-factor", defaultValue = "1")
    int replicationFactor;

    /** Every {@code kafka.*} property without its prefix (Quarkus's shared client config). */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    public Duration operationWait() {
        return operationWait;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    /** A copy of the Kafka client settings, for one client to add its own to. */
    public Map<String, Object> kafkaConfig() {
        return new HashMap<>(kafkaConfig);
    }
}
