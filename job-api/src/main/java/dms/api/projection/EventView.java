package dms.api.projection;

import dms.common.messages.JobEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The audit trail of every job, ordered by sequence (a re-delivered event replaces itself), last 1000 kept. */
@ApplicationScoped
public class EventView {

    public static final int MAX_PER_JOB = 1000;

    private final Map<String, NavigableMap<Long, JobEvent>> events = new ConcurrentHashMap<>();

    public void add(String jobId, JobEvent event) {
        NavigableMap<Long, JobEvent> trail = events.computeIfAbsent(jobId, id -> new ConcurrentSkipListMap<>());
        trail.put(event.sequence(), event);
        while (trail.size() > MAX_PER_JOB) {
            trail.pollFirstEntry();
        }
    }

    public void remove(String jobId) {
        events.remove(jobId);
    }

    public boolean has(String jobId) {
        return events.containsKey(jobId);
    }

    public List<JobEvent> of(String jobId) {
        NavigableMap<Long, JobEvent> trail = events.get(jobId);
        return trail == null ? List.of() : List.copyOf(trail.values());
    }
}
