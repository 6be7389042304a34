package dms.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@code dms_kafka_consumer_lag_records{consumer, topic}}: records on the brokers that one of
 * the service's consumers has not fetched yet: per partition the log end offset minus the
 * consumer's position, summed over the topic's partitions it holds. Read from the consumer's
 * own fetch metrics ({@code records-lag}), so it means the same for a group member and for a
 * consumer that assigns its partitions itself and commits nothing (the API's projection, the
 * workers' job views, the cdc-worker's control consumer that re-reads its partitions from the
 * beginning). NaN while the consumer does not exist or holds no partition of the topic.
 */
public final class ConsumerLag {

    public static final String METRIC = "dms_kafka_consumer_lag_records";
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private ConsumerLag() {}

    /**
     * @param consumer a stable name: the group id, or what the consumer is for when it has no group
     * @param current  the consumer now (it may be replaced after a Kafka outage, or not exist yet)
     */
    public static void register(MeterRegistry registry, String consumer, Collection<String> topics,
                                Supplier<? extends Consumer<?, ?>> current) {
        for (String topic : topics) {
            Gauge.builder(METRIC, () -> {
                        Consumer<?, ?> c = current.get();
                        return c == null ? Double.NaN : lag(c.metrics(), topic);
                    })
                    .description("Records of the topic the consumer has not fetched yet (log end offset minus position)")
                    .tag("consumer", consumer).tag("topic", topic)
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** The sum of the partitions' {@code records-lag} of one topic; NaN when the consumer fetches none of it. */
    public static double lag(Map<MetricName, ? extends Metric> metrics, String topic) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (!"records-lag".equals(name.name()) || !FETCH_GROUP.equals(name.group())
                    || !name.tags().containsKey("partition") || !sameTopic(name.tags().get("topic"), topic)) {
                continue;
            }
            Object value = e.getValue().metricValue();
            if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
                sum += n.doubleValue();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    /** Some client versions write the topic tag with '_' for '.'. */
    private static boolean sameTopic(String tag, String topic) {
        return tag != null && (tag.equals(topic) || tag.equals(topic.replace('.', '_')));
    }
}
