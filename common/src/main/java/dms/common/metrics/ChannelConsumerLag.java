package dms.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * {@link ConsumerLag} of every SmallRye Kafka incoming channel of the service (the
 * orchestrator's commands and progress, the dump-worker's dump-tasks), named after the
 * channel's consumer group. The consumers the services create themselves register their own.
 */
@ApplicationScoped
public class ChannelConsumerLag {

    private static final Pattern KAFKA_CHANNEL = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.connector");

    @Inject
    MeterRegistry registry;
    /** Resolved only by a service that has Kafka channels. */
    @Inject
    Instance<KafkaClientService> clients;
    @Inject
    Config config;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        for (String property : config.getPropertyNames()) {
            Matcher m = KAFKA_CHANNEL.matcher(property);
            if (!m.matches() || !"smallrye-kafka".equals(config.getOptionalValue(property, String.class).orElse(""))) {
                continue;
            }
            String channel = m.group(1);
            String prefix = "mp.messaging.incoming." + channel + ".";
            String topic = config.getOptionalValue(prefix + "topic", String.class).orElse(channel);
            String group = config.getOptionalValue(prefix + "group.id", String.class).orElse(channel);
            ConsumerLag.register(registry, group, List.of(topic), () -> {
                KafkaConsumer<?, ?> c = clients.get().getConsumer(channel);
                return c == null ? null : c.unwrap();
            });
        }
    }
}
