package dms.dump.tasks;

import dms.common.pg.ReplicationSlots;
import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import dms.common.pg.PgConnector;
import dms.dump.snapshot.SlotSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delete of a job, per database: drop the slot and publication on the source (so WAL stops
 * piling up), and the destination database when asked. What cannot be cleaned (a source
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

    public void run(DumpTask task) {
        String db = task.database();
        holders.release(task.jobId(), task.runEpoch(), db);
        List<String> left = new ArrayList<>();
        try {
            ReplicationSlots.dropSlotAndPublication(connector, task.source(), db, task.slotName(), task.publicationName());
        } catch (Exception e) {
            left.add("slot " + task.slotName() + " and publication " + task.publicationName() + " on the source ("
                    + Errors.describe(e) + "): drop them by hand, or WAL keeps piling up");
        }
        if (Boolean.TRUE.equals(task.purgeDestination())) {
            try {
                DestinationDatabase.drop(connector, task.destination(), db);
            } catch (Exception e) {
                left.add("destination database " + db + " (" + Errors.describe(e) + ")");
            }
        }
        WorkerEvent done = WorkerEvent.signal(task.jobId(), task.runEpoch(), db, WorkerSignal.CLEANED_UP, worker);
        if (!left.isEmpty()) {
            LOG.warnf("Cleanup of %s/%s left: %s", task.jobId(), db, left);
            done = done.withError("not cleaned: " + String.join("; ", left));
        }
        reporter.report(done);
    }
}
