package dms.dump.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.kafka.CompactedTopicReader;
import dms.common.kafka.Topics;
import dms.common.messages.DumpControl;
import dms.common.messages.DumpTask;
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
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * What the orchestrator wants of the dump-workers for every job: the newest {@link DumpControl} of each, from the
 * compacted dms.dump-control topic (read whole by every instance, with {@link CompactedTopicReader}). It refuses tasks
 * that a newer record no longer wants, and lets running work react when a job is stopped, deleted or restarted: copies
 * are cancelled, snapshots released, data checks stopped.
 */
@ApplicationScoped
public class DumpControlView {

    private static final Logger LOG = Logger.getLogger(DumpControlView.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    Topics topics;
    @Inject
    MeterRegistry registry;
    @Inject
    CopyMetrics metrics;

    private final Map<String, DumpControl> jobs = new ConcurrentHashMap<>();
    private final List<Consumer<DumpControl>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile CompactedTopicReader reader;

    void start(@Observes StartupEvent start) {
        ConsumerLag.register(registry, "dump-worker-control", List.of(topics.dumpControl()),
                () -> reader == null ? null : reader.consumer());
        onChange(metrics::jobChanged);
        reader = CompactedTopicReader.builder("dms-dump-control", kafkaConfig, List.of(topics.dumpControl()))
                .start(new CompactedTopicReader.Handler() {
                    @Override
                    public void record(ConsumerRecord<String, String> r) {
                        apply(r);
                    }

                    @Override
                    public void caughtUp() {
                        caughtUp.countDown();
                        LOG.infof("Dump control caught up: %d jobs", jobs.size());
                    }

                    @Override
                    public void unreachable(String why) {
                        LOG.warnf("Dump control: Kafka not reachable (%s); retrying", why);
                    }
                });
    }

    void stop(@Observes ShutdownEvent stop) {
        if (reader != null) {
            reader.close();
        }
    }

    public void onChange(Consumer<DumpControl> listener) {
        listeners.add(listener);
    }

    /** The newest record of the job; empty before its first one reached this worker. */
    public Optional<DumpControl> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Why the newest record refuses this task (a newer one than the task was decided in), or empty: run it. */
    public Optional<String> refusal(DumpTask task) {
        return job(task.jobId()).flatMap(c -> c.refusal(task));
    }

    /** Whether the newest record of the task's job, if newer than the task, stops its work ({@link DumpControl#stops}). */
    public boolean stops(DumpTask task, Predicate<DumpControl.DatabaseWork> wanted) {
        return job(task.jobId()).map(c -> c.stops(task, wanted)).orElse(false);
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
        DumpControl control;
        try {
            control = Json.read(r.value(), DumpControl.class);
        } catch (JsonProcessingException e) {
            control = null;
        }
        if (control == null || control.jobId() == null) {
            LOG.warnf("Skipped a record that is not a dump control at %s/%d/%d", r.topic(), r.partition(), r.offset());
            return;
        }
        DumpControl previous = jobs.get(control.jobId());
        if (previous != null && previous.jobVersion() >= control.jobVersion()) {
            return;
        }
        jobs.put(control.jobId(), control);
        for (Consumer<DumpControl> listener : listeners) {
            try {
                listener.accept(control);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Dump control listener failed on job %s", control.jobId());
            }
        }
    }
}
