package dms.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One gauge per tag set (a job, or one of its databases), registered the first time it is published and then
 * updated in place; removed only when a publication no longer names it. Re-registering every
 * gauge on each report (what {@code MultiGauge} with overwrite does) leaves a moment with the
 * series missing: a scrape that falls in it makes Prometheus mark the series stale, and the
 * dashboard panel is empty until the next scrape.
 */
public final class TaggedGauges {

    private static final class Value {
        volatile double current;
        Gauge gauge;
    }

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String baseUnit;
    private final Map<Tags, Value> values = new HashMap<>();

    public TaggedGauges(MeterRegistry registry, String name, String description, String baseUnit) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.baseUnit = baseUnit;
    }

    /** Sets the gauges named in {@code latest} and removes the others. */
    public synchronized void publish(Map<Tags, Double> latest) {
        for (Iterator<Map.Entry<Tags, Value>> it = values.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Tags, Value> e = it.next();
            if (!latest.containsKey(e.getKey())) {
                registry.remove(e.getValue().gauge);
                it.remove();
            }
        }
        latest.forEach((tags, value) -> {
            Value v = values.get(tags);
            if (v == null) {
                v = new Value();
                v.current = value;
                v.gauge = Gauge.builder(name, v, x -> x.current).description(description).baseUnit(baseUnit)
                        .tags(tags).strongReference(true).register(registry);
                values.put(tags, v);
            }
            v.current = value;
        });
    }
}
