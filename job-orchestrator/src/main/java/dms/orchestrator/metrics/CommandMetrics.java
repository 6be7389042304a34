package dms.orchestrator.metrics;

import dms.common.messages.CommandType;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code dms_commands_total{type, result}}: every command the orchestrator decided on. */
@ApplicationScoped
public class CommandMetrics {

    @Inject
    MeterRegistry registry;

    public void count(CommandType type, String result) {
        registry.counter("dms_commands", "type", type == null ? "UNKNOWN" : type.name(), "result", result).increment();
    }
}
