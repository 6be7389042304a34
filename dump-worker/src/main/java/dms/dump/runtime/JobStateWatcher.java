package dms.dump.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * This worker's view of every job, from the compacted dms.job-state topic (read whole by
 * every instance). It tells a task whether it is still wanted, and lets running work react
 * when a job is stopped, deleted or restarted: copies are cancelled, snapshots released.
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
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean stopping;

    void start(@Observes StartupEvent start) {
        ConsumerLag.register(registry, "dump-worker-job-view", List.of(topics.jobState()), () -> consumer);
        onChange(metrics::jobChanged);
        Thread thread = new Thread(this::run, "dms-job-state-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
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

    private void run() {
        long backoff = 500;
        while (!stopping) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(topics.jobState(), Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + topics.jobState() + " not found");
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                backoff = 500;
                while (!stopping) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    if (caughtUp.getCount() > 0 && partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                        caughtUp.countDown();
                        LOG.infof("Job view caught up: %d jobs", jobs.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Job view: Kafka not reachable (%s); retrying", e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
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

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (!k.contains("serializer") && !k.contains("deserializer")) {
                config.put(k, v);
            }
        });
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
