package dms.cdc.control;

import dms.cdc.promote.Promotion;
import dms.common.messages.CdcControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The streams this instance runs, one {@link JobDatabaseStream} per key of dms.cdc-control
 * (job/database), each brought to the latest desired state the topic holds for it.
 */
@ApplicationScoped
public class StreamSupervisor {

    private static final Logger LOG = Logger.getLogger(StreamSupervisor.class);

    private record Desired(int partition, CdcControl control) {}

    @Inject
    StreamActions actions;
    @Inject
    StreamReports reports;
    @Inject
    Promotion promotion;

    private final Map<String, JobDatabaseStream> streams = new ConcurrentHashMap<>();
    private final Map<String, Desired> pending = new ConcurrentHashMap<>();

    /** Records the latest desired state of a key (null: the job is gone); acted on by {@link #reconcile()}. */
    public void desire(String key, int partition, CdcControl control) {
        pending.put(key, new Desired(partition, control));
    }

    public void reconcile() {
        for (String key : List.copyOf(pending.keySet())) {
            Desired d = pending.remove(key);
            if (d == null) {
                continue;
            }
            JobDatabaseStream stream = streams.get(key);
            if (d.control() == null) {
                if (stream != null) {
                    stream.halt();
                    streams.remove(key);
                }
                continue;
            }
            if (stream == null) {
                stream = new JobDatabaseStream(key, d.partition(), actions, reports, promotion);
                streams.put(key, stream);
            }
            stream.want(d.control());
        }
    }

    /** The partitions went to another instance: halt their streams here, without reports (the new owner acts). */
    public void release(Set<Integer> partitions) {
        pending.values().removeIf(d -> partitions.contains(d.partition()));
        streams.entrySet().removeIf(e -> {
            if (partitions.contains(e.getValue().partition())) {
                LOG.infof("CDC stream %s moves to another worker", e.getKey());
                e.getValue().halt();
                return true;
            }
            return false;
        });
    }

    public void haltAll() {
        pending.clear();
        streams.values().forEach(JobDatabaseStream::halt);
        streams.clear();
    }

    /** The streams running here now, for lag reports and metrics. */
    public Collection<JobDatabaseStream> running() {
        return streams.values();
    }
}
