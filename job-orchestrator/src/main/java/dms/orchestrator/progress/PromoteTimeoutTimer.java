package dms.orchestrator.progress;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.PromoteDeadline;
import dms.orchestrator.lifecycle.TimerInputs;
import dms.orchestrator.store.MigrationJobEntity;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
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
    TimerInputs timer;

    @Scheduled(every = "${dms.promote.check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void failOverduePromotes() {
        Instant now = Instant.now();
        timer.tick("Overdue promotes", () -> MigrationJobEntity.<MigrationJobEntity>list(
                        "state = ?1 and phase = ?2 and promoteDeadline < ?3", JobState.RUNNING, JobPhase.PROMOTE_IN_PROGRESS,
                        now.minus(PromoteDeadline.REPORT_GRACE)).stream().map(j -> j.id).toList(), () -> new Input.PromoteTick(now),
                id -> LOG.errorf("Promote of %s failed: no cdc-worker finished the drain by its deadline nor reported why", id));
    }
}
