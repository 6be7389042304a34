package dms.orchestrator.metrics;

import dms.common.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code dms_outbox_set_aside_total{topic}}: records Kafka refused for good (too large, an invalid
 * topic), set aside in the outbox table instead of sent. Any increase wants a look: see
 * docs/operations.md. Every topic exists at 0 from the start.
 */
@ApplicationScoped
public class OutboxMetrics {

    @Inject
    MeterRegistry registry;
    @Inject
    Topics topics;

    void register(@Observes StartupEvent start) {
        Topics.ALL.forEach(spec -> setAside(topics.name(spec)));
    }

    public void countSetAside(String topic) {
        setAside(topic).increment();
    }

    private io.micrometer.core.instrument.Counter setAside(String topic) {
        return registry.counter("dms_outbox_set_aside", "topic", topic);
    }
}
