package dms.orchestrator.metrics;

import dms.common.messages.CommandType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * {@code dms_commands_total{type, result}}: every command the orchestrator decided on. Every
 * type and result exists from the start at 0: Prometheus's increase() misses the first count
 * of a series that appears already at 1.
 */
@ApplicationScoped
public class CommandMetrics {

    public static final List<String> RESULTS = List.of("ok", "duplicate", "rejected", "dead-lettered", "invalid");
    private static final String UNKNOWN = "UNKNOWN";

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent start) {
        for (CommandType type : CommandType.values()) {
            RESULTS.forEach(result -> counter(type.name(), result));
        }
        RESULTS.forEach(result -> counter(UNKNOWN, result));
    }

    public void count(CommandType type, String result) {
        counter(type == null ? UNKNOWN : type.name(), result).increment();
    }

    private Counter counter(String type, String result) {
        return registry.counter("dms_commands", "type", type, "result", result);
    }
}
