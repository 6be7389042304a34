package dms.dump.runtime;

import dms.common.messages.DumpControl;
import dms.common.messages.DumpTask;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The copies running in this worker, so that a stop, delete or restart of their job cancels them within seconds: the
 * job's record on dms.dump-control says so before any task could.
 */
@ApplicationScoped
public class RunningCopies {

    private static final Logger LOG = Logger.getLogger(RunningCopies.class);

    /** A running copy that can be told to stop. */
    public interface Cancellable {
        void cancel();
    }

    private record Entry(DumpTask task, Cancellable copy) {}

    private final Set<Entry> running = ConcurrentHashMap.newKeySet();

    @Inject
    DumpControlView control;

    void listen(@Observes StartupEvent start) {
        control.onChange(this::cancelIfNotWanted);
    }

    /** Registers a running copy of {@code task}'s database until closed. */
    public AutoCloseable register(DumpTask task, Cancellable copy) {
        Entry e = new Entry(task, copy);
        running.add(e);
        return () -> running.remove(e);
    }

    /** Whether the newest record of the task's job, if newer than the task, cancels copies of its database. */
    public boolean cancelled(DumpTask task) {
        return control.stops(task, DumpControl.DatabaseWork::copy);
    }

    private void cancelIfNotWanted(DumpControl c) {
        for (Entry e : running) {
            if (e.task().jobId().equals(c.jobId()) && c.stops(e.task(), DumpControl.DatabaseWork::copy)) {
                LOG.infof("Cancelling a copy of job %s/%s: it is now %s (run %d)", c.jobId(), e.task().database(), c.status(), c.runEpoch());
                e.copy().cancel();
            }
        }
    }
}
