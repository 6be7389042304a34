package dms.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    private final Map<MetricName, Metric> metrics = new LinkedHashMap<>();

    private void put(String name, String topic, Integer partition, double value) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("client-id", "c1");
        tags.put("topic", topic);
        if (partition != null) {
            tags.put("partition", String.valueOf(partition));
        }
        MetricName key = new MetricName(name, "consumer-fetch-manager-metrics", "", tags);
        metrics.put(key, new Metric() {
            @Override
            public MetricName metricName() {
                return key;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void sumsThePartitionsOfTheTopicOnly() {
        put("records-lag", "dms.commands", 0, 3);
        put("records-lag", "dms.commands", 1, 4);
        put("records-lag", "dms.progress", 0, 100);
        put("records-lag-max", "dms.commands", 0, 50);
        put("records-lag", "dms.commands", null, 99);
        assertEquals(7.0, ConsumerLag.lag(metrics, "dms.commands"));
        assertEquals(100.0, ConsumerLag.lag(metrics, "dms.progress"));
    }

    @Test
    void unknownWhenTheConsumerHoldsNoPartitionOfTheTopic() {
        put("records-lag", "dms.commands", 0, 3);
        assertTrue(Double.isNaN(ConsumerLag.lag(metrics, "dms.job-state")));
    }

    @Test
    void readsTopicTagsWrittenWithUnderscores() {
        put("records-lag", "dms_job-state", 2, 5);
        assertEquals(5.0, ConsumerLag.lag(metrics, "dms.job-state"));
    }
}
