package dms.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor of one Kafka hop on this machine and broker: a record sent (acks=all, linger 0, as the services
 * send) until a consumer polling in a loop (as the services consume) has it, one record at a time. A command's
 * round trip takes two such hops (dms.commands to the orchestrator, dms.operations back to the API).
 */
final class KafkaHopProbe {

    private KafkaHopProbe() {}

    /** Returns the latencies in ms of {@code count} records, after {@code warmup} not counted. */
    static List<Double> measure(String bootstrapServers, int warmup, int count) {
        String topic = "bench.kafka-hop-" + UUID.randomUUID().toString().substring(0, 8);
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new DmsClient.BenchException("cannot create " + topic + ": " + e, e);
        }
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        BlockingQueue<Long> received = new ArrayBlockingQueue<>(16);
        List<Double> latencies = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            Thread poller = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            received.offer(System.nanoTime());
                        }
                    }
                } catch (WakeupException e) {
                    // done
                }
            }, "kafka-hop-poller");
            poller.setDaemon(true);
            poller.start();
            for (int i = 0; i < warmup + count; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "k", "ping " + i));
                Long t1 = received.poll(10, TimeUnit.SECONDS);
                if (t1 == null) {
                    throw new DmsClient.BenchException("a record sent to " + topic + " was not consumed within 10 s");
                }
                if (i >= warmup) {
                    latencies.add(Stats.ms(t1 - t0));
                }
                Thread.sleep(5);
            }
            consumer.wakeup();
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmsClient.BenchException("interrupted", e);
        }
        try (Admin a = Admin.create(admin)) {
            a.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a left-over probe topic in a throw-away stack does no harm
        }
        return latencies;
    }

    static Map<String, Object> describe() {
        return Map.of("what", "one record at a time: producer send (acks=all, linger 0, idempotent) until a consumer "
                + "polling in a loop (assign, poll 200 ms) has it; the floor of each of the two Kafka hops of a command");
    }
}
