package dms.dump.runtime;

import dms.common.kafka.TopicCreator;
import dms.common.kafka.ReportSender;
import dms.common.kafka.Topics;
import dms.common.secret.SecretCipher;
import dms.common.pg.PgConnector;
import dms.dump.schema.SchemaDump;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The worker's shared pieces: topic names, its name in reports; topics created at start. */
@ApplicationScoped
public class WorkerSetup {

    private static final Logger LOG = Logger.getLogger(WorkerSetup.class);

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
    @jakarta.inject.Singleton
    PgConnector connector(SecretCipher cipher) {
        return new PgConnector(cipher, "dms-dump-worker");
    }

    @Produces
    @jakarta.inject.Singleton
    SchemaDump schemaDump(PgConnector connector) {
        return new SchemaDump(connector);
    }

    /** How this worker signs its reports: host and pid, enough to find its log. */
    @Produces
    @Named("workerName")
    String workerName() {
        return "dump-worker@" + ManagementFactory.getRuntimeMXBean().getName();
    }

    void createTopics(@Observes StartupEvent start) {
        Map<String, Object> config = ReportSender.clientConfig(kafkaConfig);
        TopicCreator.ensureTopicsInBackground(config, new Topics(topicPrefix), replicationFactor,
                reason -> LOG.warnf("Kafka topics not ready: %s; retrying", reason));
    }
}
