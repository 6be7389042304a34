package dms.orchestrator.kafka;

import dms.common.kafka.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Creates the system's topics at start, retrying until the broker answers (it may start later). */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    @Inject
    KafkaClients clients;
    @Inject
    Topics topics;

    void onStart(@Observes @Priority(1) StartupEvent start) {
        clients.ensureTopicsInBackground(topics, reason -> LOG.warnf("Kafka topics not ready: %s; retrying", reason));
    }
}
