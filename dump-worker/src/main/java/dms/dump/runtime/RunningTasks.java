package dms.dump.runtime;

import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dump tasks running in this worker, by what they do (job, run, database, kind, unit, snapshot).
 * The same task delivered again while it runs here is not run twice: a rebalance redelivers a record
 * whose offset was not committed yet, and the orchestrator sends a task again, as its next attempt,
 * when its lease expired while heartbeats could not reach it (docs/data-path.md, Leases); the run in
 * progress then takes the newer attempt over, and its reports and heartbeats name it. The reports of a
 * task name its attempt ({@link #stamp}): the thread that runs a task reports for it.
 */
@ApplicationScoped
public class RunningTasks {

    /** A task running here and the attempt its reports name now. */
    public static final class Running {
        final DumpTask task;
        private volatile Integer attempt;

        Running(DumpTask task) {
            this.task = task;
            this.attempt = task.attempt();
        }

        /** What its reports and heartbeats name; null for a task sent without a lease. */
        WorkerEvent.TaskRef ref() {
            return task.ref(attempt);
        }
    }

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ThreadLocal<Running> ofThread = new ThreadLocal<>();

    /**
     * Registers the task as run by this thread; null when the same task runs here already (it takes
     * over a newer attempt) and this delivery is to be dropped.
     */
    public Running start(DumpTask task) {
        Running fresh = new Running(task);
        Running existing = running.putIfAbsent(identity(task), fresh);
        if (existing != null) {
            synchronized (existing) {
                if (task.attempt() != null && (existing.attempt == null || task.attempt() > existing.attempt)) {
                    existing.attempt = task.attempt();
                }
            }
            return null;
        }
        ofThread.set(fresh);
        return fresh;
    }

    public void finish(Running r) {
        running.remove(identity(r.task), r);
        ofThread.remove();
    }

    /** A report of the task this thread runs names its attempt (reports of other tasks, or naming one already, are left as they are). */
    public WorkerEvent stamp(WorkerEvent e) {
        Running r = ofThread.get();
        if (r == null || e.task() != null || !r.task.jobId().equals(e.jobId()) || !r.task.database().equals(e.database())) {
            return e;
        }
        WorkerEvent.TaskRef ref = r.ref();
        return ref == null ? e : e.withTask(ref);
    }

    List<Running> all() {
        return List.copyOf(running.values());
    }

    /** Deliveries of the same work: a copy of one unit under one snapshot, one database's data check of one verification. */
    private static String identity(DumpTask t) {
        String which = t instanceof DumpTask.CopyTable c ? c.unitNo() + "|" + c.snapshotName()
                : t instanceof DumpTask.VerifyData v ? v.verificationId() : "";
        return String.join("|", t.kind().name(), t.jobId(), String.valueOf(t.runEpoch()), t.database(), which);
    }
}
