package dms.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaggedCountersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TaggedCounters applied = new TaggedCounters(registry, "dms_test_applied", "applied");
    private final Tags a = Tags.of(MetricLabels.JOB, "j1", "database", "a");
    private final Tags b = Tags.of(MetricLabels.JOB, "j1", "database", "b");

    private Counter counter(Tags tags) {
        return registry.find("dms_test_applied").tags(tags).counter();
    }

    @Test
    void aCounterExistsAtZeroAndOnlyGrows() {
        applied.add(a, 0);
        assertEquals(0.0, counter(a).count(), "named at 0 before anything is applied");
        applied.add(a, 5);
        applied.add(a, 3);
        applied.add(a, -2);
        assertEquals(8.0, counter(a).count());
    }

    @Test
    void theCountersOfTagSetsNoLongerLiveAreRemoved() {
        applied.add(a, 1);
        applied.add(b, 2);
        applied.retain(Set.of(b));
        assertNull(counter(a));
        assertEquals(2.0, counter(b).count());
        applied.add(a, 4);
        assertEquals(4.0, counter(a).count(), "a tag set live again starts over");
    }
}
