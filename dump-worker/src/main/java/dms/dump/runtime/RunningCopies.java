package dms.dump.runtime;

import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The copies running in this worker, so that a stop, delete or restart of their job cancels
 * them within seconds (the job document says so before any task could).
 */
@ApplicationScoped
public class RunningCopies {

    private static final Logger LOG = Logger.getLogger(RunningCopies.class);

    /** A running copy that can be told to stop. */
    public interface Cancellable {
        void cancel();
    }

    private record Entry(String jobId, long runEpoch, String database, Cancellable copy) {}

    private final Set<Entry> running = ConcurrentHashMap.newKeySet();

    @Inject
    JobStateWatcher watcher;

    void listen(@Observes StartupEvent start) {
        watcher.onChange(this::cancelIfNotWanted);
    }

    public AutoCloseable register(String jobId, long runEpoch, String database, Cancellable copy) {
        Entry e = new Entry(jobId, runEpoch, database, copy);
        running.add(e);
        return () -> running.remove(e);
    }

    /**
     * Whether copies of this job's run are wanted for the database in the job's current status: not for
     * a database that failed (while the job is FAILED, its other databases go on copying).
     */
    public static boolean copyWanted(MigrationJob job, long runEpoch, String database) {
        return job != null && job.runEpoch() == runEpoch && JobStateMachine.copiesWanted(JobStatus.of(job.state(), job.phase()))
                && !(job.state() == JobState.FAILED && failed(job, database));
    }

    private static boolean failed(MigrationJob job, String database) {
        return job.databaseProgress() != null && job.databaseProgress().stream()
                .anyMatch(p -> p.database().equals(database) && p.lastSignal() == WorkerSignal.FAILED);
    }

    private void cancelIfNotWanted(MigrationJob job) {
        for (Entry e : running) {
            if (e.jobId().equals(job.id()) && !copyWanted(job, e.runEpoch(), e.database())) {
                LOG.infof("Cancelling a copy of job %s/%s: it is now %s/%s (run %d)", job.id(), e.database(), job.state(), job.phase(),
                        job.runEpoch());
                e.copy().cancel();
            }
        }
    }
}
