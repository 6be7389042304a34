package dms.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the system's topics if they are missing, with their cleanup policy. Every service
 * calls it at start, so start order does not matter and no broker-side auto-create is needed.
 */
public final class TopicCreator {

    private TopicCreator() {}

    /**
     * Creates the topics on a daemon thread, retrying with backoff until the broker answers:
     * a service starts before Kafka is reachable and must not crash for it.
     */
    public static Thread ensureTopicsInBackground(Map<String, Object> kafkaConfig, Topics topics, int replicationFactor,
                                                  java.util.function.Consumer<String> onRetry) {
        Thread thread = new Thread(() -> {
            long backoff = 500;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    ensureTopics(kafkaConfig, topics, replicationFactor, Duration.ofSeconds(10));
                    return;
                } catch (RuntimeException e) {
                    onRetry.accept(e.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 10_000);
                }
            }
        }, "dms-topic-setup");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public static void ensureTopics(Map<String, Object> kafkaConfig, Topics topics, int replicationFactor, Duration timeout) {
        Properties props = new Properties();
        props.putAll(kafkaConfig);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.Spec spec : Topics.ALL) {
                String name = topics.name(spec);
                if (!existing.contains(name)) {
                    Map<String, String> config = new HashMap<>(spec.extraConfig());
                    config.put("cleanup.policy", spec.compacted() ? "compact" : "delete");
                    missing.add(new NewTopic(name, spec.partitions(), (short) replicationFactor).configs(config));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the Kafka topics at " + kafkaConfig.get("bootstrap.servers")
                    + ": " + e.getMessage(), e);
        }
    }
}
