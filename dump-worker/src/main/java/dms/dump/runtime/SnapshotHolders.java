package dms.dump.runtime;

import dms.common.messages.DumpControl;
import dms.common.messages.DumpTask;
import dms.dump.snapshot.SlotSnapshot;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps each database's exported snapshot alive (an idle replication connection) until every copy has imported it:
 * the job's record on dms.dump-control no longer holds it (all its tables copied, or the job left the dump: stop,
 * delete, restart). The simple path of docs/data-path.md, rule 2.
 */
@ApplicationScoped
public class SnapshotHolders {

    private static final Logger LOG = Logger.getLogger(SnapshotHolders.class);

    /** What holds a snapshot: closing it releases the snapshot (the slot stays). */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private record Key(String jobId, long runEpoch, String database) {}

    /** A snapshot held for the task that took it, whose job version only a newer record can overrule. */
    private record Holding(Held snapshot, Long jobVersion) {}

    private final Map<Key, Holding> held = new ConcurrentHashMap<>();

    @Inject
    DumpControlView control;

    void listen(@Observes StartupEvent start) {
        control.onChange(this::releaseWhatIsNoLongerNeeded);
    }

    /** Holds the exported snapshot {@code task} took until no copy needs to import it any more. */
    public void hold(DumpTask task, SlotSnapshot snapshot) {
        hold(task, () -> {
            try {
                snapshot.close();
            } catch (SQLException e) {
                LOG.debugf("closing the snapshot connection: %s", e.getMessage());
            }
        });
    }

    public void hold(DumpTask task, Held snapshot) {
        Holding previous = held.put(new Key(task.jobId(), task.runEpoch(), task.database()), new Holding(snapshot, task.target().jobVersion()));
        if (previous != null) {
            previous.snapshot().close();
        }
    }

    public void release(String jobId, long runEpoch, String database) {
        Holding h = held.remove(new Key(jobId, runEpoch, database));
        if (h != null) {
            h.snapshot().close();
            LOG.infof("Released the snapshot of %s/%s (run %d)", jobId, database, runEpoch);
        }
    }

    private void releaseWhatIsNoLongerNeeded(DumpControl c) {
        held.forEach((key, holding) -> {
            if (key.jobId().equals(c.jobId())
                    && c.stops(key.runEpoch(), holding.jobVersion(), key.database(), DumpControl.DatabaseWork::holdSnapshot)) {
                release(key.jobId(), key.runEpoch(), key.database());
            }
        });
    }

    @PreDestroy
    void closeAll() {
        held.values().forEach(h -> h.snapshot().close());
        held.clear();
    }
}
