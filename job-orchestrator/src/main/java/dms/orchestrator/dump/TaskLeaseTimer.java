package dms.orchestrator.dump;

import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.TimerInputs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sends again the dump tasks whose lease expired (their worker died, or its report was lost):
 * every {@code dms.dump.lease.check-interval} (5 s), the jobs with a COPYING unit or a database task
 * past its lease get the lease input; the lifecycle decides what is sent again or let go
 * ({@link dms.orchestrator.lifecycle.Lifecycle}, TaskLeases).
 */
@ApplicationScoped
public class TaskLeaseTimer {

    @Inject
    TimerInputs timer;

    @Scheduled(every = "${dms.dump.lease.check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendExpiredAgain() {
        Instant now = Instant.now();
        timer.tick("Expired task leases", () -> jobsWithExpiredLeases(now), () -> new Input.LeasesExpired(now), id -> { });
    }

    private static Set<String> jobsWithExpiredLeases(Instant now) {
        Set<String> jobs = new LinkedHashSet<>(CopyUnitEntity.getEntityManager().createQuery(
                        "select distinct u.jobId from CopyUnitEntity u where u.state = ?1 and u.leaseUntil <= ?2", String.class)
                .setParameter(1, CopyUnitEntity.State.COPYING).setParameter(2, now).getResultList());
        jobs.addAll(CopyUnitEntity.getEntityManager().createQuery(
                        "select distinct d.jobId from JobDatabaseEntity d where d.taskLeaseUntil <= ?1", String.class)
                .setParameter(1, now).getResultList());
        return jobs;
    }
}
