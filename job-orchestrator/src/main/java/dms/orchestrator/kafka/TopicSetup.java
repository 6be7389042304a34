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
        Thread setup = new Thread(() -> {
            long backoff = 500;
            while (true) {
                try {
                    clients.ensureTopics(topics);
                    LOG.infof("Kafka topics ready (prefix %s)", topics.commands().replace("commands", ""));
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("Kafka topics not ready: %s; retrying", e.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 10_000);
                }
            }
        }, "dms-topic-setup");
        setup.setDaemon(true);
        setup.start();
    }
}
