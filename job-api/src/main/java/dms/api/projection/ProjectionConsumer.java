package dms.api.projection;

import dms.api.config.ApiSettings;
import dms.common.kafka.CompactedTopicReader;
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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the projected topics from the beginning into the views ({@link CompactedTopicReader}),
 * for as long as the service runs. Every replica reads everything, so partitions are assigned,
 * not taken through a consumer group. Kafka may be down at start or later: the reader retries,
 * and the status (readiness) says so; the HTTP server is up either way.
 */
@ApplicationScoped
public class ProjectionConsumer implements CompactedTopicReader.Handler {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** How often an idle reader checks that the brokers still answer. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);

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

    private ProjectionRouter router;
    private volatile CompactedTopicReader reader;

    void onStart(@Observes StartupEvent event) {
        Topics topics = settings.topics();
        router = new ProjectionRouter(topics, jobs, operations, events, profiles);
        ConsumerLag.register(registry, "job-api-projection", router.topicNames(), () -> reader == null ? null : reader.consumer());
        reader = CompactedTopicReader.builder("dms-projection", settings.kafkaConfig(), router.topicNames())
                .clientId("dms-api-projection-" + UUID.randomUUID().toString().substring(0, 8))
                .poll(POLL)
                .callTimeout(CALL_TIMEOUT)
                .heartbeat(HEARTBEAT)
                .beforeConnect(() -> {
                    TopicCreator.ensureTopics(settings.kafkaConfig(), topics, settings.replicationFactor(), CALL_TIMEOUT);
                    status.topicsCreated();
                })
                .start(this);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reader != null) {
            reader.close();
        }
    }

    /** One bad record must not stop the projection; its value is never logged (it may hold anything). */
    @Override
    public void record(ConsumerRecord<String, String> r) {
        try {
            router.apply(r.topic(), r.key(), r.value());
        } catch (Exception e) {
            Log.warnf("skipped a record that does not parse: topic %s partition %d offset %d: %s",
                    r.topic(), r.partition(), r.offset(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void caughtUp() {
        status.markCaughtUp();
        Log.infof("projection rebuilt: %d jobs, %d operations, %d profiles", jobs.size(), operations.size(), profiles.all().size());
    }

    @Override
    public void reachable() {
        if (status.markReachable()) {
            Log.info("Kafka reachable: projection reading");
        }
    }

    @Override
    public void unreachable(String why) {
        if (status.markUnreachable(why)) {
            Log.warnf("Kafka not reachable, projection retrying: %s", why);
        }
    }
}
