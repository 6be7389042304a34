package dms.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Against a real broker (devstack's, as the e2e tests run it). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompactedTopicReaderTest {

    private TestBroker broker;
    private Map<String, Object> config;

    @BeforeAll
    void startBroker() throws Exception {
        broker = TestBroker.start("reader-test");
        // what a service's kafka.* config holds, with settings the reader must ignore
        config = Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "not-this-one",
                "value.deserializer", "not.a.Class");
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readsEveryPartitionFromTheBeginningIntoTheLatestValuePerKeyThenCatchesUp() throws Exception {
        String topic = createTopic("view", 2);
        send(topic, "a", "1");
        send(topic, "b", "1");
        send(topic, "a", "2");
        send(topic, "gone", "1");
        send(topic, "gone", null);
        View view = new View();
        try (CompactedTopicReader reader = CompactedTopicReader.builder("test-view", config, List.of(topic)).start(view)) {
            await(() -> view.caughtUp, "caught up");
            assertEquals(Map.of("a", "2", "b", "1"), view.snapshotAtCatchUp, "what the topic held at start, at catch-up");
            send(topic, "c", "1");
            await(() -> "1".equals(view.values.get("c")), "a record written later");
            assertEquals(1, view.catchUps, "caught up once");
            assertTrue(reader.consumer() != null);
        }
    }

    @Test
    void aGroupSharesThePartitionsAndAMemberThatLeavesHandsItsOnReadFromTheBeginning() throws Exception {
        String topic = createTopic("group", 2);
        for (int i = 0; i < 20; i++) {
            send(topic, "k" + i, "v" + i);
        }
        View first = new View();
        View second = new View();
        try (CompactedTopicReader one = grouped(topic, "one", first)) {
            await(() -> first.values.size() == 20, "the only member reads everything");
            try (CompactedTopicReader two = grouped(topic, "two", second)) {
                await(() -> first.owned.size() == 1 && second.owned.size() == 1, "one partition each");
                assertFalse(first.revokedAll.isEmpty(), "the first member gave one up");
                assertEquals(first.revokedAll, second.owned, "only the partition that moved was revoked");
                await(() -> !second.values.isEmpty(), "the second member reads its partition");
            }
            await(() -> first.owned.size() == 2, "the partition comes back when the other member leaves");
        }
    }

    @Test
    void saysKafkaIsUnreachableAndKeepsTrying() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        View view = new View();
        try (CompactedTopicReader reader = CompactedTopicReader.builder("test-down", Map.of("bootstrap.servers", "127.0.0.1:" + port),
                List.of("nowhere")).callTimeout(Duration.ofMillis(500)).start(view)) {
            await(() -> view.unreachable.size() >= 2, "two attempts, each reported");
            assertFalse(view.caughtUp);
        }
    }

    private CompactedTopicReader grouped(String topic, String member, View view) {
        return CompactedTopicReader.builder("test-" + member, config, List.of(topic)).group(topic + "-group", 6000).start(view);
    }

    private static final class View implements CompactedTopicReader.Handler {
        final Map<String, String> values = new ConcurrentHashMap<>();
        final Set<Integer> owned = ConcurrentHashMap.newKeySet();
        final Set<Integer> revokedAll = ConcurrentHashMap.newKeySet();
        final List<String> unreachable = new CopyOnWriteArrayList<>();
        volatile boolean caughtUp;
        volatile int catchUps;
        volatile Map<String, String> snapshotAtCatchUp;

        @Override
        public void record(ConsumerRecord<String, String> r) {
            if (r.value() == null) {
                values.remove(r.key());
            } else {
                values.put(r.key(), r.value());
            }
        }

        @Override
        public void caughtUp() {
            snapshotAtCatchUp = Map.copyOf(values);
            catchUps++;
            caughtUp = true;
        }

        @Override
        public void assigned(Set<Integer> partitions) {
            owned.addAll(partitions);
        }

        @Override
        public void revoked(Set<Integer> partitions) {
            owned.removeAll(partitions);
            revokedAll.addAll(partitions);
        }

        @Override
        public void unreachable(String why) {
            unreachable.add(why);
        }
    }

    private String createTopic(String name, int partitions) throws Exception {
        String topic = "reader-test-" + name;
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private void send(String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
