package dms.orchestrator.dump;

import dms.common.statemachine.JobStateMachine;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.TimerInputs;
import dms.orchestrator.store.MigrationJobEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * Sends the copy units whose backoff is over: every {@code dms.dump.retry.check-interval}
 * (1 s), the jobs with such a unit, that want copies and have room for one, get a dispatch
 * ({@link TimerInputs}), and a new job document when something was sent. Reports and commands
 * dispatch too; this timer only covers a job where nothing else happens while its units wait.
 */
@ApplicationScoped
public class CopyRetryTimer {

    @Inject
    TimerInputs timer;
    @Inject
    DumpParallelismSettings parallelism;

    @Scheduled(every = "${dms.dump.retry.check-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dispatchDueRetries() {
        timer.tick("Due copy retries", () -> jobsWithDueRetries(Instant.now()).stream()
                .filter(id -> {
                    MigrationJobEntity job = MigrationJobEntity.findById(id);
                    return job != null && JobStateMachine.copiesWanted(job.status()) && hasRoom(job);
                }).toList(), () -> new Input.RetriesDue(Instant.now()), id -> { });
    }

    /**
     * The jobs that have a unit of their current run waiting out a backoff that is over at
     * {@code now}: candidates for a dispatch (the caller checks the job still wants copies).
     */
    private static List<String> jobsWithDueRetries(Instant now) {
        return CopyUnitEntity.getEntityManager().createQuery("""
                        select distinct u.jobId from CopyUnitEntity u, MigrationJobEntity j
                        where j.id = u.jobId and u.runEpoch = j.runEpoch and u.state = ?1 and u.notBefore <= ?2""", String.class)
                .setParameter(1, CopyUnitEntity.State.QUEUED)
                .setParameter(2, now)
                .getResultList();
    }

    /** Whether the job has fewer copies in flight than its parallelism allows. */
    private boolean hasRoom(MigrationJobEntity job) {
        return CopyUnitEntity.count("jobId = ?1 and state = ?2", job.id, CopyUnitEntity.State.COPYING)
                < parallelism.copiesInFlight(job.dumpParallelism);
    }
}
