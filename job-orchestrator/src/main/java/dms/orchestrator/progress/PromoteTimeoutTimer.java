package dms.orchestrator.progress;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.JobLifecycle;
import dms.orchestrator.lifecycle.PromoteDeadline;
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
 * Fails a promote whose drain outlived its deadline with no word from a cdc-worker (see
 * {@link PromoteDeadline}): the lifecycle fails each database still draining as if its worker had
 * reported it, so the job moves to FAILED/PROMOTE_IN_PROGRESS and its streams are told to stop.
 */
@ApplicationScoped
public class PromoteTimeoutTimer {

    private static final Logger LOG = Logger.getLogger(PromoteTimeoutTimer.class);

    @Inject
    StateWriter writer;
    @Inject
    JobLifecycle lifecycle;

    @Scheduled(every = "${dms.promote.check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void failOverduePromotes() {
        Instant now = Instant.now();
        List<String> jobs;
        try {
            // A read outside the writers' lock: most ticks there is nothing to do.
            jobs = QuarkusTransaction.requiringNew().call(() -> MigrationJobEntity.<MigrationJobEntity>list(
                    "state = ?1 and phase = ?2 and promoteDeadline < ?3", JobState.RUNNING, JobPhase.PROMOTE_IN_PROGRESS,
                    now.minus(PromoteDeadline.REPORT_GRACE)).stream().map(j -> j.id).toList());
        } catch (RuntimeException e) {
            LOG.debugf("Overdue promotes not looked up: %s", e.getMessage());
            return;
        }
        for (String id : jobs) {
            try {
                writer.write(() -> failOverdue(id, now));
            } catch (RuntimeException e) {
                LOG.warnf("Overdue promote of job %s not failed yet (next tick): %s", id, e.getMessage());
            }
        }
    }

    private void failOverdue(String id, Instant now) {
        MigrationJobEntity job = MigrationJobEntity.findById(id);
        if (job != null && lifecycle.apply(job, new Input.PromoteTick(now)).changed()) {
            LOG.errorf("Promote of %s failed: no cdc-worker finished the drain by its deadline nor reported why", id);
        }
    }
}
