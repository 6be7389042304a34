package dms.orchestrator.progress;

import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobState;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.JobLifecycle;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.verify.DataChecks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Applies one worker report: to the job's lifecycle ({@link dms.orchestrator.lifecycle.Lifecycle}
 * decides), or to its data check for a verify's report or heartbeat. Reports of unknown jobs are dropped.
 */
@ApplicationScoped
public class WorkerEventHandler {

    private static final Logger LOG = Logger.getLogger(WorkerEventHandler.class);

    @Inject
    JobLifecycle lifecycle;
    @Inject
    DataChecks dataChecks;

    /** Returns whether the report changed anything. */
    public boolean apply(WorkerEvent e) {
        MigrationJobEntity job = MigrationJobEntity.findById(e.jobId());
        if (job == null) {
            LOG.debugf("Report %s for unknown job %s dropped", e.eventId(), e.jobId());
            return false;
        }
        boolean ofDataCheck = e instanceof WorkerEvent.DataChecked || (e.task() != null && e.task().kind() == DumpTask.Kind.VERIFY_DATA);
        if (ofDataCheck) {
            if (job.state == JobState.DELETED || e.runEpoch() != job.runEpoch
                    || JobDatabaseEntity.count("jobId = ?1 and name = ?2", job.id, e.database()) == 0) {
                return false;
            }
            return e instanceof WorkerEvent.DataChecked checked ? dataChecks.reported(job, checked) : dataChecks.heartbeat(job, e);
        }
        return lifecycle.apply(job, new Input.Report(e, Instant.now())).changed();
    }
}
