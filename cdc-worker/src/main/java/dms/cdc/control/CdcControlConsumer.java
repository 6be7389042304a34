package dms.cdc.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.kafka.CompactedTopicReader;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which streams this instance runs: the partitions of the compacted dms.cdc-control topic the
 * consumer group gives it ({@link CompactedTopicReader} in group mode). Each assigned partition
 * is read from its beginning (the latest record per key is the desired state of one job
 * database's stream); a revoked partition's streams are halted here, to be run by the instance
 * that got it (cooperative rebalancing: a partition that stays here is not revoked, so its
 * streams go on through a Kafka outage). No offsets are committed: the topic is the state.
 */
@ApplicationScoped
public class CdcControlConsumer implements CompactedTopicReader.Handler {

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

    private volatile CompactedTopicReader reader;

    void start(@Observes StartupEvent start) {
        // Its partitions are read again from the beginning at each assignment: the lag is the replay still to read.
        ConsumerLag.register(registry, groupId, List.of(topics.cdcControl()), () -> reader == null ? null : reader.consumer());
        reader = CompactedTopicReader.builder("dms-cdc-control", kafkaConfig, List.of(topics.cdcControl()))
                .group(groupId, sessionTimeoutMs)
                .start(this);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (reader != null) {
            reader.close();
        }
        supervisor.haltAll();
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        if (!partitions.isEmpty()) {
            LOG.infof("CDC streams of partitions %s are this worker's now", partitions);
        }
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        supervisor.release(partitions);
    }

    @Override
    public void unreachable(String why) {
        LOG.warnf("CDC control: Kafka not reachable (%s); retrying", why);
        supervisor.haltAll();
    }

    /** Only the latest desired state of each key counts: replaying a partition acts once per key. */
    @Override
    public void polled() {
        supervisor.reconcile();
    }

    @Override
    public void record(ConsumerRecord<String, String> r) {
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
}
