package dms.cdc.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.kafka.ReportSender;
import dms.common.kafka.Topics;
import dms.common.messages.CdcControl;
import dms.common.metrics.ConsumerLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which streams this instance runs: the partitions of the compacted dms.cdc-control topic the
 * consumer group gives it. Each assigned partition is read from its beginning (the latest
 * record per key is the desired state of one job database's stream); a revoked partition's
 * streams are halted here, to be run by the instance that got it (cooperative rebalancing: a
 * partition that stays here is not revoked, so its streams go on). No offsets are committed:
 * the topic is the state.
 */
@ApplicationScoped
public class CdcControlConsumer {

    private static final Logger LOG = Logger.getLogger(CdcControlConsumer.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    Topics topics;
    @Inject
    StreamSupervisor supervisor;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "dms.cdc.group-id", defaultValue = "dms-cdc-worker")
    String groupId;
    @ConfigProperty(name = "dms.cdc.session-timeout-ms", defaultValue = "10000")
    int sessionTimeoutMs;

    /**
     * Cooperative rebalancing: a rejoin takes away only the partitions that move to another worker. The
     * eager default (range) revokes every partition before each rejoin, and this worker halts every stream
     * it runs: a member rejoins when Kafka comes back from an outage (or the topic's metadata changed while
     * it was going down), so each Kafka outage stopped all CDC apply, and restarted every stream after it.
     */
    static final String ASSIGNOR = CooperativeStickyAssignor.class.getName();

    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean stopping;

    void start(@Observes StartupEvent start) {
        // Its partitions are read again from the beginning at each assignment: the lag is the replay still to read.
        ConsumerLag.register(registry, groupId, List.of(topics.cdcControl()), () -> consumer);
        Thread thread = new Thread(this::run, "dms-cdc-control");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        supervisor.haltAll();
    }

    private void run() {
        long backoff = 500;
        while (!stopping) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(topics.cdcControl()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        supervisor.release(numbers(partitions));
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        supervisor.release(numbers(partitions));
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            LOG.infof("CDC streams of partitions %s are this worker's now", numbers(partitions));
                        }
                        c.seekToBeginning(partitions);
                    }
                });
                backoff = 500;
                while (!stopping) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    // Only the latest desired state of each key counts: replaying a partition acts once per key.
                    supervisor.reconcile();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("CDC control: Kafka not reachable (%s); retrying", e.getMessage());
                supervisor.haltAll();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            LOG.warnf("Skipped a record without a key at %s/%d/%d", r.topic(), r.partition(), r.offset());
            return;
        }
        CdcControl control = null;
        if (r.value() != null) {
            try {
                control = Json.read(r.value(), CdcControl.class);
            } catch (JsonProcessingException e) {
                LOG.warnf("Skipped a record that is not a CDC control at %s/%d/%d", r.topic(), r.partition(), r.offset());
                return;
            }
            if (control.jobId() == null || control.database() == null || control.desired() == null) {
                LOG.warnf("Skipped an incomplete CDC control at %s/%d/%d", r.topic(), r.partition(), r.offset());
                return;
            }
        }
        supervisor.desire(r.key(), r.partition(), control);
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> config = ReportSender.clientConfig(kafkaConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ASSIGNOR);
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
