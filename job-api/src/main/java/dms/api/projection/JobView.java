package dms.api.projection;

import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest document of every job. Documents come from two topics (job-state and the
 * responses of operations) in no fixed order, so a document replaces another only when its
 * {@code version} is higher.
 */
@ApplicationScoped
public class JobView {

    /** List order of the API: oldest first, ties by id. */
    public static final Comparator<MigrationJob> BY_CREATE_TIME = Comparator
            .comparing(MigrationJob::createTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MigrationJob::id);

    private final Map<String, MigrationJob> jobs = new ConcurrentHashMap<>();
    /** Version last seen of a tombstoned job, so a late operation response cannot bring it back. */
    private final Map<String, Long> removedAt = new ConcurrentHashMap<>();

    /** Keeps {@code job} if it is newer than what is held; says whether it was kept. */
    public boolean offer(MigrationJob job) {
        if (job == null || job.id() == null) {
            return false;
        }
        Long removed = removedAt.get(job.id());
        if (removed != null) {
            if (job.version() <= removed) {
                return false;
            }
            removedAt.remove(job.id());
        }
        boolean[] kept = {false};
        jobs.compute(job.id(), (id, held) -> {
            if (held == null || job.version() > held.version()) {
                kept[0] = true;
                return job;
            }
            return held;
        });
        return kept[0];
    }

    /** A tombstone on job-state: the job is gone from the projection. */
    public void remove(String id) {
        MigrationJob held = jobs.remove(id);
        removedAt.merge(id, held == null ? 0L : held.version(), Math::max);
    }

    /**
     * Waits until the view holds each job at its version or newer (or removed after it), and at
     * most until {@code deadlineNanos} ({@link System#nanoTime()}); says whether it got there.
     * A batch's Operation names its jobs and versions, their documents come on job-state: a request
     * waits for them so that a read right after it shows the jobs as the batch left them.
     */
    public boolean awaitVersions(Map<String, Long> versions, long deadlineNanos) throws InterruptedException {
        Map<String, Long> missing = new java.util.HashMap<>(versions);
        while (true) {
            missing.entrySet().removeIf(e -> holds(e.getKey(), e.getValue()));
            if (missing.isEmpty()) {
                return true;
            }
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            Thread.sleep(5);
        }
    }

    private boolean holds(String id, long version) {
        MigrationJob held = jobs.get(id);
        Long removed = removedAt.get(id);
        return held != null && held.version() >= version || removed != null && removed >= version;
    }

    /** The job in any state, DELETED included. */
    public Optional<MigrationJob> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(jobs.get(id));
    }

    /** The job unless unknown or DELETED: what every action and single read sees. */
    public Optional<MigrationJob> findLive(String id) {
        return find(id).filter(j -> j.state() != JobState.DELETED);
    }

    public List<MigrationJob> all() {
        return jobs.values().stream().sorted(BY_CREATE_TIME).toList();
    }

    public int size() {
        return jobs.size();
    }
}
