package dms.dump.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.kafka.CompactedTopicReader;
import dms.common.kafka.Topics;
import dms.common.messages.MigrationJob;
import dms.common.metrics.ConsumerLag;
import dms.dump.metrics.CopyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * This worker's view of every job, from the compacted dms.job-state topic (read whole by
 * every instance, with {@link CompactedTopicReader}). It tells a task whether it is still wanted,
 * and lets running work react when a job is stopped, deleted or restarted: copies are cancelled,
 * snapshots released.
 */
@ApplicationScoped
public class JobStateWatcher {

    private static final Logger LOG = Logger.getLogger(JobStateWatcher.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    Topics topics;
    @Inject
    MeterRegistry registry;
    @Inject
    CopyMetrics metrics;

    private final Map<String, MigrationJob> jobs = new ConcurrentHashMap<>();
    private final List<Consumer<MigrationJob>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile CompactedTopicReader reader;

    void start(@Observes StartupEvent start) {
        ConsumerLag.register(registry, "dump-worker-job-view", List.of(topics.jobState()),
                () -> reader == null ? null : reader.consumer());
        onChange(metrics::jobChanged);
        reader = CompactedTopicReader.builder("dms-job-state-watcher", kafkaConfig, List.of(topics.jobState()))
                .start(new CompactedTopicReader.Handler() {
                    @Override
                    public void record(ConsumerRecord<String, String> r) {
                        apply(r);
                    }

                    @Override
                    public void caughtUp() {
                        caughtUp.countDown();
                        LOG.infof("Job view caught up: %d jobs", jobs.size());
                    }

                    @Override
                    public void unreachable(String why) {
                        LOG.warnf("Job view: Kafka not reachable (%s); retrying", why);
                    }
                });
    }

    void stop(@Observes ShutdownEvent stop) {
        if (reader != null) {
            reader.close();
        }
    }

    public void onChange(Consumer<MigrationJob> listener) {
        listeners.add(listener);
    }

    public Optional<MigrationJob> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Waits until the view holds what the topic held when this worker started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            jobs.remove(r.key());
            return;
        }
        MigrationJob doc;
        try {
            doc = Json.read(r.value(), MigrationJob.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Skipped a job document that does not parse at %s/%d/%d", r.topic(), r.partition(), r.offset());
            return;
        }
        MigrationJob previous = jobs.get(doc.id());
        if (previous != null && previous.version() >= doc.version()) {
            return;
        }
        jobs.put(doc.id(), doc);
        for (Consumer<MigrationJob> listener : listeners) {
            try {
                listener.accept(doc);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Job view listener failed on job %s", doc.id());
            }
        }
    }
}
