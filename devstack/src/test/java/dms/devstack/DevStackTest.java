package dms.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** One real stack (a broker, three clusters) for the class; the last test closes it and checks it is gone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevStackTest {
    private static final String TOPIC = "devstack-test";

    private Path workDir;
    private DevStack stack;

    @BeforeAll
    void startStack() throws IOException {
        // Under /tmp, open to others: as root, the clusters run as the postgres user, who must enter it.
        workDir = Files.createTempDirectory(Path.of("/tmp"), "devstack-test-");
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        stack = DevStack.start(workDir);
        System.out.println("DevStack started in " + stack.startupTime().toMillis() + " ms");
    }

    @AfterAll
    void removeStack() throws IOException {
        if (stack != null) {
            stack.close();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    @Order(2)
    void sourceHasLogicalDecoding() {
        assertEquals("logical", stack.source().queryForString("postgres", "SHOW wal_level"));
        assertEquals("20", stack.source().queryForString("postgres", "SHOW max_replication_slots"));
    }

    @Test
    @Order(3)
    void destinationAndControlAcceptPasswordLoginsOverTcp() throws SQLException {
        for (PgCluster cluster : List.of(stack.destination(), stack.control())) {
            String db = cluster == stack.control() ? DevStack.CONTROL_DATABASE : "postgres";
            try (Connection c = cluster.connect(db)) {
                assertEquals(PgCluster.USER, c.getMetaData().getUserName());
                assertTrue(c.isValid(2));
            }
        }
        assertTrue(stack.destination().jdbcUrl("x").startsWith("jdbc:postgresql://127.0.0.1:"));
    }

    @Test
    @Order(4)
    void brokerCarriesARecord() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "job-1", "hello")).get();
        }
        assertEquals(List.of("job-1=hello"), consumeAll());
    }

    /** The fault tests' tools: a SIGKILLed cluster and broker, and a stopped broker, come back on the same port with their data. */
    @Test
    @Order(5)
    void killedClusterAndBrokerRestartWithTheirDataAndPorts() throws Exception {
        PgCluster source = stack.source();
        source.execute("postgres", "CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (42)");
        int pgPort = source.port();
        long pid = source.postmasterPid().orElseThrow();
        source.kill();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        source.restart();
        assertEquals(pgPort, source.port());
        assertEquals("42", source.queryForString("postgres", "SELECT id FROM kept"));

        int kafkaPort = stack.kafka().port();
        stack.kafka().kill();
        assertFalse(stack.kafka().isAlive());
        stack.kafka().restart();
        assertEquals(kafkaPort, stack.kafka().port());
        assertEquals(List.of("job-1=hello"), consumeAll());

        // An outage (KafkaOutageTest): stopped, then started again on its port with its data.
        stack.kafka().stop();
        assertFalse(stack.kafka().isAlive());
        stack.kafka().startAgain();
        assertEquals(kafkaPort, stack.kafka().port());
        assertEquals(List.of("job-1=hello"), consumeAll());
    }

    @Test
    @Order(6)
    void closeStopsEverythingAndFreesThePorts() {
        List<Integer> ports = List.of(stack.kafka().port(), stack.kafka().controllerPort(),
                stack.control().port(), stack.source().port(), stack.destination().port());
        long t0 = System.nanoTime();
        stack.close();
        System.out.println("DevStack stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        List<Integer> busy = new ArrayList<>();
        for (int port : ports) {
            if (!FreePorts.isFree(port)) {
                busy.add(port);
            }
        }
        assertEquals(List.of(), busy, "ports still bound after close");
        assertFalse(stack.kafka().isAlive());
        for (PgCluster cluster : List.of(stack.control(), stack.source(), stack.destination())) {
            assertFalse(cluster.isRunning(), cluster.name() + " still running");
        }
    }

    private List<String> consumeAll() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "devstack-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(record.key() + "=" + record.value());
                }
            }
        }
        return seen;
    }
}
