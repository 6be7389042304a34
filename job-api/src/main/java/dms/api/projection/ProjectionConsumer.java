package dms.api.projection;

import dms.api.config.ApiSettings;
import dms.common.kafka.TopicCreator;
import dms.common.kafka.Topics;
import dms.common.metrics.ConsumerLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the projected topics from the beginning into the views, on its own thread, for as long
 * as the service runs. Every replica reads everything, so partitions are assigned, not taken
 * through a consumer group. Kafka may be down at start or later: the thread retries, and the
 * status (readiness) says so; the HTTP server is up either way.
 */
@ApplicationScoped
public class ProjectionConsumer {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** How often an idle consumer checks that the brokers still answer. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    @Inject
    ApiSettings settings;
    @Inject
    ProjectionStatus status;
    @Inject
    JobView jobs;
    @Inject
    OperationView operations;
    @Inject
    EventView events;
    @Inject
    ProfileView profiles;
    @Inject
    MeterRegistry registry;

    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "dms-projection");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(CALL_TIMEOUT.toMillis());
        }
    }

    private void run() {
        Topics topics = settings.topics();
        ProjectionRouter router = new ProjectionRouter(topics, jobs, operations, events, profiles);
        ConsumerLag.register(registry, "job-api-projection", router.topicNames(), () -> consumer);
        Duration backoff = Duration.ofMillis(500);
        while (running) {
            try {
                TopicCreator.ensureTopics(settings.kafkaConfig(), topics, settings.replicationFactor(), CALL_TIMEOUT);
                status.topicsCreated();
                consume(router);
            } catch (WakeupException e) {
                // shutdown
            } catch (Exception e) {
                String why = describe(e);
                if (status.markUnreachable(why)) {
                    Log.warnf("Kafka not reachable, projection retrying: %s", why);
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Assign every partition, read from the beginning, and keep reading; returns only on error. */
    private void consume(ProjectionRouter router) {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig())) {
            consumer = kafka;
            List<TopicPartition> partitions = partitions(kafka, router.topicNames());
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            CatchUp catchUp = new CatchUp(kafka.endOffsets(partitions, CALL_TIMEOUT));
            reachable();
            long nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
            while (running) {
                ConsumerRecords<String, String> records = kafka.poll(POLL);
                for (ConsumerRecord<String, String> r : records) {
                    apply(router, r);
                }
                if (!status.caughtUp() && catchUp.reached(kafka, CALL_TIMEOUT)) {
                    status.markCaughtUp();
                    Log.infof("projection rebuilt: %d jobs, %d operations, %d profiles",
                            jobs.size(), operations.size(), profiles.all().size());
                }
                if (!records.isEmpty()) {
                    reachable();
                    nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
                } else if (System.nanoTime() - nextHeartbeat > 0) {
                    heartbeat(kafka, partitions);
                    nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
                }
            }
        } finally {
            consumer = null;
        }
    }

    /** A poll returns nothing both when idle and when the brokers are gone: ask them. */
    private void heartbeat(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions) {
        try {
            kafka.endOffsets(partitions, CALL_TIMEOUT);
            reachable();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (status.markUnreachable("Kafka did not answer within " + CALL_TIMEOUT.toSeconds() + "s")) {
                Log.warn("Kafka not reachable: serving the last projection read, readiness DOWN");
            }
        }
    }

    private void reachable() {
        if (status.markReachable()) {
            Log.info("Kafka reachable: projection reading");
        }
    }

    /** One bad record must not stop the projection; its value is never logged (it may hold anything). */
    private static void apply(ProjectionRouter router, ConsumerRecord<String, String> r) {
        try {
            router.apply(r.topic(), r.key(), r.value());
        } catch (Exception e) {
            Log.warnf("skipped a record that does not parse: topic %s partition %d offset %d: %s",
                    r.topic(), r.partition(), r.offset(), e.getClass().getSimpleName());
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> kafka, List<String> topics) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, CALL_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions yet");
            }
            infos.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
        }
        return all;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = settings.kafkaConfig();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dms-api-projection-" + UUID.randomUUID().toString().substring(0, 8));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The orchestrator may write in transactions: never project an aborted write.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /** The root cause says what happened (a bare TimeoutException has no message). */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String head = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? head : head + " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
