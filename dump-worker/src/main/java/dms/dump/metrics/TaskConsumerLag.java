package dms.dump.metrics;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link ConsumerLag} of the dump-tasks channel: the tasks waiting for this instance (the group shares them). */
@ApplicationScoped
public class TaskConsumerLag {

    @Inject
    MeterRegistry registry;
    @Inject
    KafkaClientService clients;
    @Inject
    Topics topics;
    @ConfigProperty(name = "mp.messaging.incoming.dump-tasks.group.id")
    String group;

    void register(@Observes StartupEvent start) {
        ConsumerLag.register(registry, group, List.of(topics.dumpTasks()), () -> {
            KafkaConsumer<?, ?> c = clients.getConsumer("dump-tasks");
            return c == null ? null : c.unwrap();
        });
    }
}
