package dms.orchestrator.dump;

import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.JobLifecycle;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.store.StateWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Sends again the dump tasks whose lease expired (their worker died, or its report was lost):
 * every {@code dms.dump.lease.check-interval} (5 s), the jobs with a COPYING unit or a database task
 * past its lease get the lease input through the {@link StateWriter} (one transaction under the
 * writers' lock, like a report); the lifecycle decides what is sent again or let go.
 */
@ApplicationScoped
public class TaskLeaseTimer {

    private static final Logger LOG = Logger.getLogger(TaskLeaseTimer.class);

    @Inject
    StateWriter writer;
    @Inject
    JobLifecycle lifecycle;

    @Scheduled(every = "${dms.dump.lease.check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendExpiredAgain() {
        Instant now = Instant.now();
        Set<String> jobs;
        try {
            // A read outside the writers' lock: most ticks there is nothing to do.
            jobs = QuarkusTransaction.requiringNew().call(() -> jobsWithExpiredLeases(now));
        } catch (RuntimeException e) {
            LOG.debugf("Expired task leases not looked up: %s", e.getMessage());
            return;
        }
        for (String id : jobs) {
            try {
                writer.write(() -> {
                    MigrationJobEntity job = MigrationJobEntity.findById(id);
                    if (job != null) {
                        lifecycle.apply(job, new Input.LeasesExpired(now));
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf("Expired task leases of job %s not handled yet (next tick): %s", id, e.getMessage());
            }
        }
    }

    private static Set<String> jobsWithExpiredLeases(Instant now) {
        Set<String> jobs = new LinkedHashSet<>();
        jobs.addAll(CopyUnitEntity.getEntityManager().createQuery(
                        "select distinct u.jobId from CopyUnitEntity u where u.state = ?1 and u.leaseUntil <= ?2", String.class)
                .setParameter(1, CopyUnitEntity.State.COPYING).setParameter(2, now).getResultList());
        List<String> databases = CopyUnitEntity.getEntityManager().createQuery(
                        "select distinct d.jobId from JobDatabaseEntity d where d.taskLeaseUntil <= ?1", String.class)
                .setParameter(1, now).getResultList();
        jobs.addAll(databases);
        return jobs;
    }
}
