package dms.api.projection;

import dms.api.problems.Problems;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the projection can be trusted: rebuilt up to the end offsets that existed at start
 * (so a pre-check does not answer 404 for a job not read yet), and Kafka reachable now.
 */
@ApplicationScoped
public class ProjectionStatus {

    private volatile boolean topicsReady;
    private volatile boolean caughtUp;
    private volatile boolean reachable;
    private volatile String problem = "starting";

    public boolean ready() {
        return caughtUp && reachable;
    }

    /** Reads and pre-checks need the rebuilt projection: before that, 503 rather than a false 404. */
    public void requireRebuilt() {
        if (!caughtUp) {
            throw Problems.unavailable("the projection is still being rebuilt from Kafka (" + problem + "); retry shortly");
        }
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean reachable() {
        return reachable;
    }

    /** Topics exist: publishing cannot auto-create one with the wrong settings. */
    public boolean topicsReady() {
        return topicsReady;
    }

    public String problem() {
        return problem;
    }

    void topicsCreated() {
        topicsReady = true;
    }

    void markCaughtUp() {
        caughtUp = true;
    }

    /** Says whether this changed the state (for logging transitions only). */
    boolean markReachable() {
        boolean changed = !reachable;
        reachable = true;
        problem = null;
        return changed;
    }

    boolean markUnreachable(String why) {
        boolean changed = reachable || problem == null || problem.equals("starting");
        reachable = false;
        problem = why;
        return changed;
    }
}
