package dms.orchestrator.dump;

import dms.common.statemachine.JobStateMachine;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.store.StateWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the copy units whose backoff is over: every {@code dms.dump.retry.check-interval}
 * (1 s), the jobs with such a unit, that want copies and have room for one, get a dispatch
 * through the {@link StateWriter} (one transaction under the writers' lock, like a report), and a
 * new job document when something was sent. Reports and commands dispatch too; this timer only
 * covers a job where nothing else happens while its units wait.
 */
@ApplicationScoped
public class CopyRetryTimer {

    private static final Logger LOG = Logger.getLogger(CopyRetryTimer.class);

    @Inject
    CopyScheduler scheduler;
    @Inject
    StateWriter writer;
    @Inject
    JobDocuments documents;

    @Scheduled(every = "${dms.dump.retry.check-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dispatchDueRetries() {
        List<String> jobs;
        try {
            // A read outside the writers' lock: most seconds there is nothing to do.
            jobs = QuarkusTransaction.requiringNew().call(() -> scheduler.jobsWithDueRetries(Instant.now()).stream()
                    .filter(id -> {
                        MigrationJobEntity job = MigrationJobEntity.findById(id);
                        return job != null && JobStateMachine.copiesWanted(job.status()) && scheduler.freeSlots(job) > 0;
                    }).toList());
        } catch (RuntimeException e) {
            // The control database is away (the health check says so): the next tick tries again.
            LOG.debugf("Due copy retries not looked up: %s", e.getMessage());
            return;
        }
        for (String id : jobs) {
            try {
                writer.write(() -> dispatch(id));
            } catch (RuntimeException e) {
                LOG.warnf("Due copy retries of job %s not dispatched (next try in a second): %s", id, e.getMessage());
            }
        }
    }

    private void dispatch(String id) {
        MigrationJobEntity job = MigrationJobEntity.findById(id);
        if (job != null && scheduler.dispatch(job) > 0) {
            documents.publish(job);
        }
    }
}
