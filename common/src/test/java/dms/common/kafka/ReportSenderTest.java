package dms.common.kafka;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CopyRange;
import dms.common.messages.CopyUnit;
import dms.common.messages.WorkerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** A worker's reports against a real broker (devstack's): a plan of thousands of units goes through, a report no broker takes fails at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportSenderTest {

    private TestBroker broker;
    private Map<String, Object> config;

    @BeforeAll
    void startBroker() throws Exception {
        broker = TestBroker.start("report-test");
        config = Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** A database's plan: one unit per table, each with its columns (random names: they do not compress away). */
    private static WorkerEvent plan(int tables) {
        List<CopyUnit> units = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            List<String> columns = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                columns.add("c_" + UUID.randomUUID());
            }
            units.add(new CopyUnit(i, "public", "tenant_table_" + i, columns, CopyRange.WHOLE, 8192, 2, 0));
        }
        return new WorkerEvent.DumpStarted(WorkerEvent.Header.of("job-1", 1, "many", "w"), "slot", "0/1", "snap", units, List.of(), null);
    }

    @Test
    @Timeout(120)
    void aPlanOfManyThousandUnitsReachesTheProgressTopicAsTheServicesMakeIt() throws Exception {
        Topics topics = new Topics("big.");
        TopicCreator.ensureTopics(config, topics, 1, Duration.ofSeconds(30));
        WorkerEvent plan = plan(10_000);
        assertTrue(dms.common.json.Json.write(plan).length() > 5_000_000, "over five times Kafka's default record size");
        try (ReportSender sender = new ReportSender(config, topics.progress())) {
            sender.deliver(plan);
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "report-test");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topics.progress()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    WorkerEvent read = dms.common.json.Json.read(r.value(), WorkerEvent.class);
                    assertEquals(10_000, ((WorkerEvent.DumpStarted) read).units().size());
                    return;
                }
            }
        }
        fail("the plan was not read back");
    }

    @Test
    @Timeout(120)
    void aReportNoRetryCanDeliverFailsAtOnceInsteadOfWedgingItsTask() throws Exception {
        String topic = "small-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "100000")))).all().get();
        }
        long t0 = System.nanoTime();
        try (ReportSender sender = new ReportSender(config, topic)) {
            ReportSender.UndeliverableReport e = assertThrows(ReportSender.UndeliverableReport.class, () -> sender.deliver(plan(3_000)));
            assertTrue(e.getMessage().contains("job-1/many"), e.getMessage());
        }
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos(), "no retry loop");
    }
}
