package dms.dump.runtime;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.MigrationJob;
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
 * Keeps each database's exported snapshot alive (an idle replication connection) until
 * every copy has imported it: the job document shows all its tables copied, or the job left
 * the dump (stop, delete, restart). The simple path of docs/data-path.md, rule 2.
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

    private final Map<Key, Held> held = new ConcurrentHashMap<>();

    @Inject
    JobStateWatcher watcher;

    void listen(@Observes StartupEvent start) {
        watcher.onChange(this::releaseWhatIsNoLongerNeeded);
    }

    /** Holds an exported snapshot until no copy needs to import it any more. */
    public void hold(String jobId, long runEpoch, String database, SlotSnapshot snapshot) {
        hold(jobId, runEpoch, database, () -> {
            try {
                snapshot.close();
            } catch (SQLException e) {
                LOG.debugf("closing the snapshot connection: %s", e.getMessage());
            }
        });
    }

    public void hold(String jobId, long runEpoch, String database, Held snapshot) {
        Held previous = held.put(new Key(jobId, runEpoch, database), snapshot);
        if (previous != null) {
            previous.close();
        }
    }

    public void release(String jobId, long runEpoch, String database) {
        Held h = held.remove(new Key(jobId, runEpoch, database));
        if (h != null) {
            h.close();
            LOG.infof("Released the snapshot of %s/%s (run %d)", jobId, database, runEpoch);
        }
    }

    private void releaseWhatIsNoLongerNeeded(MigrationJob job) {
        for (Key key : held.keySet()) {
            if (!key.jobId().equals(job.id())) {
                continue;
            }
            boolean dumping = RunningCopies.copyWanted(job, key.runEpoch(), key.database());
            boolean copied = job.databaseProgress() != null && job.databaseProgress().stream()
                    .filter(p -> p.database().equals(key.database()))
                    .anyMatch(SnapshotHolders::allTablesCopied);
            if (!dumping || copied) {
                release(key.jobId(), key.runEpoch(), key.database());
            }
        }
    }

    /** Every table of the plan copied; a database not planned yet (0 tables) is still preparing under its snapshot. */
    private static boolean allTablesCopied(DatabaseProgress p) {
        return p.tablesTotal() != null && p.tablesTotal() > 0 && p.tablesCopied() != null
                && p.tablesCopied().equals(p.tablesTotal());
    }

    @PreDestroy
    void closeAll() {
        held.values().forEach(Held::close);
        held.clear();
    }
}
