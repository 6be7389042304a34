package dms.dump.cleanup;

import dms.common.pg.ReplicationSlots;
import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.common.pg.PgConnector;
import dms.dump.destination.DestinationDatabase;
import dms.dump.runtime.Errors;
import dms.dump.runtime.ProgressReporter;
import dms.dump.runtime.SnapshotHolders;
import dms.dump.snapshot.SlotSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delete of a job, per database: drop the slot and publication on the source (so WAL stops
 * piling up), and the destination database when asked and the job created it; a database kept
 * loses the job's mark (it is the user's now). What cannot be cleaned (a source
 * that does not answer) is said in the report; the job is deleted all the same.
 */
@ApplicationScoped
public class CleanupDatabase {

    private static final Logger LOG = Logger.getLogger(CleanupDatabase.class);

    @Inject
    PgConnector connector;
    @Inject
    SnapshotHolders holders;
    @Inject
    ProgressReporter reporter;
    @Inject
    @Named("workerName")
    String worker;

    public void run(DumpTask.Cleanup task) {
        String db = task.database();
        holders.release(task.jobId(), task.runEpoch(), db);
        List<String> left = new ArrayList<>();
        try {
            ReplicationSlots.dropSlotAndPublication(connector, task.source(), db, task.slotName(), task.publicationName());
        } catch (Exception e) {
            left.add("slot " + task.slotName() + " and publication " + task.publicationName() + " on the source ("
                    + Errors.describe(e) + "): drop them by hand, or WAL keeps piling up");
        }
        try {
            if (!Boolean.TRUE.equals(task.purgeDestination())) {
                DestinationDatabase.release(connector, task.destination(), db, task.jobId());
            } else if (!DestinationDatabase.dropIfCreatedBy(connector, task.destination(), db, task.jobId())) {
                LOG.infof("Purge of %s/%s: the destination database was not created by the job (or is gone): kept", task.jobId(), db);
            }
        } catch (Exception e) {
            left.add("destination database " + db + " (" + Errors.describe(e) + (Boolean.TRUE.equals(task.purgeDestination())
                    ? ")" : "): it is still marked as the job's (dms_internal.created_by_job), so a new job of this id could drop it"));
        }
        WorkerEvent.Signalled done = WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.CLEANED_UP, worker);
        if (!left.isEmpty()) {
            LOG.warnf("Cleanup of %s/%s left: %s", task.jobId(), db, left);
            done = done.withError("not cleaned: " + String.join("; ", left));
        }
        reporter.report(done);
    }
}
