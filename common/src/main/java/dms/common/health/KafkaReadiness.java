package dms.common.health;

import dms.common.kafka.ReportSender;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Every service's readiness check {@code kafka}: DOWN when the brokers do not answer a
 * describe-cluster within {@link #TIMEOUT_MS}. Quarkus's own Kafka check waits for the admin
 * client's default timeout (a minute) instead, longer than any probe. Shared by the four
 * services through this jar's beans.xml.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    static final int TIMEOUT_MS = 3000;
    static final String NAME = "kafka";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS).size();
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.of(Map.of("brokers", nodes)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(e);
        } catch (Exception e) {
            return down(e);
        }
    }

    private static HealthCheckResponse down(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN,
                Optional.of(Map.of("problem", cause.getClass().getSimpleName() + ": " + cause.getMessage())));
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = ReportSender.clientConfig(kafkaConfig);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "dms-readiness");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
