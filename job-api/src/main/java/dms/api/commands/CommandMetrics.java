package dms.api.commands;

import dms.common.messages.CommandType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code dms_api_commands_total{type}}: commands the brokers acknowledged, by type.
 * {@code dms_api_verdict_wait_seconds{type,outcome}}: how long a call waited for the
 * orchestrator after publishing (outcome done, error or pending).
 */
@ApplicationScoped
public class CommandMetrics {

    @Inject
    MeterRegistry registry;

    void published(CommandType type) {
        Counter.builder("dms.api.commands").description("Commands published to the command topic")
                .tag("type", type.name()).register(registry).increment();
    }

    Timer.Sample startWait() {
        return Timer.start(registry);
    }

    void waited(Timer.Sample sample, CommandType type, String outcome) {
        sample.stop(Timer.builder("dms.api.verdict.wait").description("Wait for the orchestrator's verdict")
                .tag("type", type.name()).tag("outcome", outcome).register(registry));
    }
}
