package dms.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One counter per tag set (a job's database), registered at 0 the first time it is named, so that
 * {@code rate()} and {@code increase()} see the first increments; removed once the tag set is no
 * longer live (its database left this worker, its job was deleted).
 */
public final class TaggedCounters {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Map<Tags, Counter> counters = new HashMap<>();

    public TaggedCounters(MeterRegistry registry, String name, String description) {
        this.registry = registry;
        this.name = name;
        this.description = description;
    }

    /** Adds {@code amount} (≥ 0) to the counter of {@code tags}, made at 0 if it is new. */
    public synchronized void add(Tags tags, double amount) {
        Counter counter = counters.computeIfAbsent(tags,
                t -> Counter.builder(name).description(description).tags(t).register(registry));
        if (amount > 0) {
            counter.increment(amount);
        }
    }

    /** Removes the counters of the tag sets not in {@code live}. */
    public synchronized void retain(Set<Tags> live) {
        for (Iterator<Map.Entry<Tags, Counter>> it = counters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Tags, Counter> e = it.next();
            if (!live.contains(e.getKey())) {
                registry.remove(e.getValue());
                it.remove();
            }
        }
    }
}
