package dms.orchestrator.metrics;

import dms.common.kafka.Topics;
import dms.common.metrics.ConsumerLag;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link ConsumerLag} of the orchestrator's group: its commands and progress channels. */
@ApplicationScoped
public class ConsumerLagMetrics {

    @Inject
    MeterRegistry registry;
    @Inject
    KafkaClientService clients;
    @Inject
    Topics topics;
    @ConfigProperty(name = "mp.messaging.incoming.commands.group.id")
    String group;

    void register(@Observes StartupEvent start) {
        ConsumerLag.register(registry, group, List.of(topics.commands()), () -> consumer("commands"));
        ConsumerLag.register(registry, group, List.of(topics.progress()), () -> consumer("progress"));
    }

    private Consumer<?, ?> consumer(String channel) {
        KafkaConsumer<?, ?> c = clients.getConsumer(channel);
        return c == null ? null : c.unwrap();
    }
}
