package dms.orchestrator.fanout;

import dms.common.messages.JobEvent;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * Moves a job to a new status: records the event and sends the work the new status needs.
 * The caller decided the move is allowed (by {@link dms.common.statemachine.JobStateMachine})
 * and publishes the job document afterwards.
 */
@ApplicationScoped
public class JobTransitions {

    @Inject
    JobEvents events;
    @Inject
    WorkFanout fanout;

    public void move(MigrationJobEntity job, JobStatus to, String commandId, String message, boolean purgeDestination) {
        move(job, to, commandId, message, purgeDestination, null);
    }

    /** As {@link #move}, for a restart of only the databases in {@code restartOnly} (null: all). */
    public void move(MigrationJobEntity job, JobStatus to, String commandId, String message, boolean purgeDestination,
                     Set<String> restartOnly) {
        JobStatus from = job.status();
        if (purgeDestination && from.state() == JobState.COMPLETED) {
            // Promoted: the destination is the user's database now, never a job's to drop.
            purgeDestination = false;
            message += "; destination databases kept: the job was promoted";
        }
        job.setStatus(to);
        if (to.state() != JobState.FAILED) {
            job.errorCode = null;
            job.errorMessage = null;
        }
        events.record(job, JobEvent.Type.STATUS_CHANGED, from, to, commandId, null, message);
        List<JobDatabaseEntity> databases = JobDatabaseEntity.ofJob(job.id);
        fanout.onEnter(job, databases, from, purgeDestination, restartOnly);
    }
}
