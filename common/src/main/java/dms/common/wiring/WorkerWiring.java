package dms.common.wiring;

import dms.common.kafka.ReportSender;
import dms.common.kafka.TopicCreator;
import dms.common.kafka.Topics;
import dms.common.pg.PgConnector;
import dms.common.secret.SecretCipher;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What every worker (dump-worker, cdc-worker) is wired with: its topic names, its connections
 * to the servers of its tasks, its reports to dms.progress, its name in them; and the topics
 * made at start (in the background: a worker starts while Kafka is still away). A bean only in
 * a service built with {@code dms.worker=true}: the API and the orchestrator wire themselves.
 * The names follow {@code quarkus.application.name}: connections say {@code dms-<name>} to the
 * servers, reports are signed {@code <name>@<host and pid>}, enough to find the log.
 */
@ApplicationScoped
@IfBuildProperty(name = "dms.worker", stringValue = "true")
public class WorkerWiring {

    /** java.util.logging: Quarkus's log manager takes it, and common needs no logging library. */
    private static final Logger LOG = Logger.getLogger(WorkerWiring.class.getName());

    @ConfigProperty(name = "quarkus.application.name")
    String application;
    @ConfigProperty(name = "dms.topic-prefix", defaultValue = Topics.DEFAULT_PREFIX)
    String topicPrefix;
    @ConfigProperty(name = "dms.kafka.replication-factor", defaultValue = "1")
    int replicationFactor;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Produces
    @ApplicationScoped
    Topics topics() {
        return new Topics(topicPrefix);
    }

    @Produces
    @Singleton
    PgConnector connector(SecretCipher cipher) {
        return new PgConnector(cipher, "dms-" + application);
    }

    @Produces
    @Singleton
    ReportSender reports(Topics topics) {
        return new ReportSender(kafkaConfig, topics.progress());
    }

    void closeReports(@Disposes ReportSender sender) {
        sender.close();
    }

    @Produces
    @Named("workerName")
    String workerName() {
        return application + "@" + ManagementFactory.getRuntimeMXBean().getName();
    }

    void createTopics(@Observes @Initialized(ApplicationScoped.class) Object start) {
        TopicCreator.ensureTopicsInBackground(ReportSender.clientConfig(kafkaConfig), new Topics(topicPrefix), replicationFactor,
                reason -> LOG.warning("Kafka topics not ready: " + reason + "; retrying"));
    }
}
