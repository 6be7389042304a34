package dms.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads compacted topics from their beginning, on its own thread, for as long as the service
 * runs: the latest record of each key is the state, so nothing is committed and every (re)start
 * reads everything again. Kafka may be away at start or later: the reader starts over with
 * backoff (up to 10 s) and says so ({@link Handler#unreachable}).
 *
 * <p>Two ways to hold the partitions: every partition assigned (each instance holds the whole
 * view: the API's projection, a worker's job view), with {@link Handler#caughtUp} once the records
 * written before the start are read; or shared through a consumer group ({@link Builder#group}),
 * each partition read from its beginning when it is assigned, with cooperative rebalancing: the
 * eager default revokes every partition before each rejoin (a Kafka outage revoked them all), the
 * cooperative one only those that move.
 *
 * <p>Only committed records are read ({@code read_committed}): a transactional writer's aborted
 * writes never count.
 */
public final class CompactedTopicReader implements AutoCloseable {

    /** What the reader hands on, all on its thread. */
    public interface Handler {
        /** One record (a null value deletes its key), in order within its partition. */
        void record(ConsumerRecord<String, String> record);

        /** After the records of one poll (none, when idle). */
        default void polled() {}

        /** Once: every record written before the reader started is read (not in group mode). */
        default void caughtUp() {}

        /** Group mode: these partitions are this instance's now, read again from their beginning. */
        default void assigned(Set<Integer> partitions) {}

        /** Group mode: these partitions went to another instance (revoked or lost). */
        default void revoked(Set<Integer> partitions) {}

        /** The brokers answered (reading began, records arrived, or an idle check). */
        default void reachable() {}

        /** The brokers did not answer: the reader starts over after a pause, or (an idle check) waits on. */
        default void unreachable(String why) {}
    }

    public static final class Builder {
        private final String name;
        private final Map<String, Object> kafkaConfig;
        private final List<String> topics;
        private String groupId;
        private int sessionTimeoutMs = 10_000;
        private String clientId;
        private Duration poll = Duration.ofMillis(500);
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration heartbeat;
        private Runnable beforeConnect = () -> {};

        private Builder(String name, Map<String, Object> kafkaConfig, List<String> topics) {
            this.name = name;
            this.kafkaConfig = kafkaConfig;
            this.topics = List.copyOf(topics);
        }

        /** Shares the partitions with the other members of {@code groupId} instead of reading them all. */
        public Builder group(String groupId, int sessionTimeoutMs) {
            this.groupId = groupId;
            this.sessionTimeoutMs = sessionTimeoutMs;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder poll(Duration poll) {
            this.poll = poll;
            return this;
        }

        /** How long one call to the brokers (partitions, end offsets, positions) may take. */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        /** An idle poll returns nothing whether the brokers are there or gone: ask them this often. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /** Runs before each attempt to read (creating the topics, say); an exception makes the attempt fail. */
        public Builder beforeConnect(Runnable beforeConnect) {
            this.beforeConnect = beforeConnect;
            return this;
        }

        /** Starts reading on a daemon thread named {@code name}. */
        public CompactedTopicReader start(Handler handler) {
            CompactedTopicReader reader = new CompactedTopicReader(this, handler);
            reader.thread.start();
            return reader;
        }
    }

    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Builder spec;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private boolean caughtUp;
    private long backoffMs = FIRST_BACKOFF_MS;

    /**
     * @param name        the reader's thread name
     * @param kafkaConfig the service's Kafka client settings ((de)serializer and group settings are ignored)
     */
    public static Builder builder(String name, Map<String, Object> kafkaConfig, List<String> topics) {
        return new Builder(name, kafkaConfig, topics);
    }

    private CompactedTopicReader(Builder spec, Handler handler) {
        this.spec = spec;
        this.handler = handler;
        this.thread = new Thread(this::run, spec.name);
        this.thread.setDaemon(true);
    }

    /** The consumer now (null between attempts), for its metrics. */
    public KafkaConsumer<String, String> consumer() {
        return consumer;
    }

    /** Stops reading and waits (a little) for the thread to end. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(spec.callTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                spec.beforeConnect.run();
                try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                        new StringDeserializer())) {
                    consumer = c;
                    read(c);
                } finally {
                    consumer = null;
                }
            } catch (WakeupException e) {
                // closing
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                handler.unreachable(describe(e));
                if (!pause(backoffMs)) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** Reads until closed; returns by an exception when the brokers are away. */
    private void read(KafkaConsumer<String, String> c) {
        CatchUp catchUp = null;
        List<TopicPartition> partitions = List.of();
        if (spec.groupId == null) {
            partitions = partitions(c);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            catchUp = caughtUp ? null : new CatchUp(c.endOffsets(partitions, spec.callTimeout));
        } else {
            c.subscribe(spec.topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> lost) {
                    handler.revoked(numbers(lost));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> lost) {
                    handler.revoked(numbers(lost));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> got) {
                    c.seekToBeginning(got);
                    handler.assigned(numbers(got));
                }
            });
        }
        handler.reachable();
        backoffMs = FIRST_BACKOFF_MS;
        long nextHeartbeat = System.nanoTime() + heartbeatNanos();
        while (running) {
            ConsumerRecords<String, String> records = c.poll(spec.poll);
            for (ConsumerRecord<String, String> r : records) {
                handler.record(r);
            }
            handler.polled();
            if (catchUp != null && catchUp.reached(c, spec.callTimeout)) {
                catchUp = null;
                caughtUp = true;
                handler.caughtUp();
            }
            if (spec.heartbeat == null) {
                continue;
            }
            if (!records.isEmpty()) {
                handler.reachable();
                nextHeartbeat = System.nanoTime() + heartbeatNanos();
            } else if (System.nanoTime() - nextHeartbeat > 0) {
                heartbeat(c, partitions);
                nextHeartbeat = System.nanoTime() + heartbeatNanos();
            }
        }
    }

    private long heartbeatNanos() {
        return spec.heartbeat == null ? 0 : spec.heartbeat.toNanos();
    }

    private void heartbeat(KafkaConsumer<String, String> c, List<TopicPartition> partitions) {
        try {
            c.endOffsets(partitions, spec.callTimeout);
            handler.reachable();
        } catch (TimeoutException e) {
            handler.unreachable("Kafka did not answer within " + spec.callTimeout.toSeconds() + "s");
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : spec.topics) {
            List<PartitionInfo> infos = c.partitionsFor(topic, spec.callTimeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions yet");
            }
            infos.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
        }
        return all;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = ReportSender.clientConfig(spec.kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (spec.clientId != null) {
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, spec.clientId);
        }
        if (spec.groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, spec.groupId);
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, spec.sessionTimeoutMs);
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return config;
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> out = new HashSet<>();
        partitions.forEach(p -> out.add(p.partition()));
        return out;
    }

    private boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The root cause says what happened (a bare TimeoutException has no message). */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String head = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? head : head + " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    /**
     * The end offsets that existed when reading began: once the consumer's position passes all of
     * them, the reader holds everything written before the start. Positions, not record offsets,
     * because compaction and transaction markers leave gaps.
     */
    private record CatchUp(Map<TopicPartition, Long> targets) {
        boolean reached(KafkaConsumer<?, ?> consumer, Duration timeout) {
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                if (consumer.position(target.getKey(), timeout) < target.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }
}
