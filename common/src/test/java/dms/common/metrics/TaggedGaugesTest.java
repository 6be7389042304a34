package dms.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaggedGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> removed = new ArrayList<>();
    private final TaggedGauges lag = new TaggedGauges(registry, "dms_test_lag", "lag", "seconds");
    private final Tags a = Tags.of(MetricLabels.JOB, "j1", "database", "a");
    private final Tags b = Tags.of(MetricLabels.JOB, "j1", "database", "b");

    TaggedGaugesTest() {
        registry.config().onMeterRemoved(m -> removed.add(m.getId().getTag("database")));
    }

    private Gauge gauge(Tags tags) {
        return registry.find("dms_test_lag").tags(tags).gauge();
    }

    @Test
    void aRepublishedGaugeStaysRegisteredAndShowsTheNewValue() {
        lag.publish(Map.of(a, 1.5, b, 7.0));
        Gauge first = gauge(a);
        assertEquals(1.5, first.value());

        lag.publish(Map.of(a, 2.25, b, 8.0));

        assertEquals(List.of(), removed, "a gauge published again is never removed, not even for a moment");
        assertEquals(first, gauge(a));
        assertEquals(2.25, gauge(a).value());
        assertEquals(8.0, gauge(b).value());
        assertEquals("seconds", first.getId().getBaseUnit());
    }

    @Test
    void aGaugeNoLongerPublishedIsRemovedAndComesBackWhenPublishedAgain() {
        lag.publish(Map.of(a, 1.0, b, 2.0));

        lag.publish(Map.of(a, 1.0));
        assertEquals(List.of("b"), removed);
        assertNull(gauge(b));

        lag.publish(Map.of(a, 1.0, b, 3.0));
        assertEquals(3.0, gauge(b).value());
        assertEquals(2, registry.find("dms_test_lag").gauges().size());
    }
}
