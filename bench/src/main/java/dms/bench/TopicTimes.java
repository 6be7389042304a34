package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When each record of the control plane was produced, read back from the topics after a run: the
 * producers stamp records with their own clock at {@code send()} (CreateTime, millisecond
 * resolution), so on one machine these stamps place each hop of a command on one time line.
 * <ul>
 *   <li>{@code dms.commands}: the API sent the command (by commandId);</li>
 *   <li>{@code dms.operations}: the orchestrator's outbox relay sent the verdict (by operation name);</li>
 *   <li>{@code dms.job-state}: the relay sent a job document (by jobId and version).</li>
 * </ul>
 */
final class TopicTimes {

    private final Map<String, Long> commandSent = new HashMap<>();
    private final Map<String, Long> operationSent = new HashMap<>();
    private final Map<String, Long> jobDocumentSent = new HashMap<>();
    private int records;

    static TopicTimes read(String bootstrapServers, Topics topics) {
        TopicTimes times = new TopicTimes();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "control-plane-bench-timeline");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.commands(), topics.operations(), topics.jobState())) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new DmsClient.BenchException("could not read the control-plane topics to their end within 60 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    times.add(topics, r);
                }
            }
        }
        return times;
    }

    private void add(Topics topics, ConsumerRecord<String, String> r) {
        records++;
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(topics.commands())) {
                JsonNode command = Json.MAPPER.readTree(r.value());
                if (command.path("commandId").isTextual()) {
                    commandSent.putIfAbsent(command.path("commandId").asText(), r.timestamp());
                }
            } else if (r.topic().equals(topics.operations())) {
                operationSent.putIfAbsent(r.key(), r.timestamp());
            } else if (r.topic().equals(topics.jobState())) {
                JsonNode doc = Json.MAPPER.readTree(r.value());
                jobDocumentSent.putIfAbsent(r.key() + "@" + doc.path("version").asLong(), r.timestamp());
            }
        } catch (Exception e) {
            // not ours to judge: a record that does not parse has no place on the time line
        }
    }

    Long commandSent(String commandId) {
        return commandSent.get(commandId);
    }

    Long operationSent(String operationName) {
        return operationSent.get(operationName);
    }

    Long jobDocumentSent(String jobId, long version) {
        return jobDocumentSent.get(jobId + "@" + version);
    }

    int records() {
        return records;
    }
}
