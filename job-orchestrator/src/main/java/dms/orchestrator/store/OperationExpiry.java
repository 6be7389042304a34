package dms.orchestrator.store;

import dms.common.kafka.Topics;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.outbox.OutboxEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Operations are kept for {@code dms.operations.retention} (7 days), then deleted from the control
 * database with a tombstone on the compacted {@code dms.operations} topic, so the API's view drops
 * them too. An Operation is also the proof a commandId was applied: a command sent again after its
 * Operation expired is applied again (docs/command-contract.md). Outbox records set aside as
 * refused by Kafka go after the same time.
 */
@ApplicationScoped
public class OperationExpiry {

    private static final Logger LOG = Logger.getLogger(OperationExpiry.class);
    static final int BATCH = 1000;

    @Inject
    StateWriter writer;
    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @ConfigProperty(name = "dms.operations.retention", defaultValue = "P7D")
    Duration retention;

    @Scheduled(every = "${dms.operations.expiry-interval:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireOld() {
        Instant cutoff = cutoff(Instant.now(), retention);
        try {
            // Batches under the writers' lock, one short transaction each: commands wait for one batch at most.
            int expired = inBatches(() -> writer.write(() -> expireBatch(cutoff)));
            if (expired > 0) {
                LOG.infof("%d operations created before %s expired (dms.operations.retention %s)", expired, cutoff, retention);
            }
        } catch (RuntimeException e) {
            // The control database is away (the health check says so): the next tick tries again.
            LOG.warnf("Expired operations not deleted yet (tried again at the next dms.operations.expiry-interval): %s", e.getMessage());
        }
    }

    static Instant cutoff(Instant now, Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("dms.operations.retention must be positive, not " + retention);
        }
        return now.minus(retention);
    }

    /** Runs {@code batch} until it expires less than a full batch; returns how many in all. */
    static int inBatches(IntSupplier batch) {
        int total = 0;
        int n;
        do {
            n = batch.getAsInt();
            total += n;
        } while (n == BATCH);
        return total;
    }

    private int expireBatch(Instant cutoff) {
        List<String> names = OperationEntity.getEntityManager()
                .createQuery("select o.name from OperationEntity o where o.createTime < ?1 order by o.createTime", String.class)
                .setParameter(1, cutoff).setMaxResults(BATCH).getResultList();
        if (!names.isEmpty()) {
            names.forEach(name -> outbox.add(topics.operations(), name, null));
            OperationEntity.delete("name in ?1", names);
        }
        if (names.size() < BATCH) {
            OutboxEntity.delete("failedTime < ?1", cutoff);
        }
        return names.size();
    }
}
