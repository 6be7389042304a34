package dms.orchestrator.verify;

import dms.orchestrator.lifecycle.TimerInputs;
import dms.orchestrator.store.JobDatabaseEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Every {@code dms.dump.lease.check-interval} (5 s), the jobs with a VERIFY_DATA task past its lease
 * (its worker died, its reports were lost, or no dump-worker runs) go to {@link DataChecks#leasesExpired}.
 */
@ApplicationScoped
public class DataCheckLeaseTimer {

    @Inject
    TimerInputs timer;
    @Inject
    DataChecks checks;

    @Scheduled(every = "${dms.dump.lease.check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        Instant now = Instant.now();
        timer.tickJobs("Expired data check leases", () -> JobDatabaseEntity.getEntityManager().createQuery(
                        "select distinct d.jobId from JobDatabaseEntity d where d.verifyLeaseUntil <= ?1", String.class)
                .setParameter(1, now).getResultList(), job -> checks.leasesExpired(job, now), id -> { });
    }
}
