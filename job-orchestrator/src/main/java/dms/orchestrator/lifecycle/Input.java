package dms.orchestrator.lifecycle;

import dms.common.messages.JobPatch;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobAction;
import java.time.Instant;
import java.util.List;

/** What a job's lifecycle reacts to: a user's command, a worker's report, or a timer. Each carries the time it is decided at. */
public sealed interface Input {

    Instant now();

    /** The command's id, for the job's events; null for reports and timers. */
    default String commandId() {
        return null;
    }

    /**
     * A state-machine action (start, stop, resume, restart, promote, delete). {@code restartDatabases}: the databases
     * a restart is limited to (null: all); {@code resolvedDatabases}: the source's databases a start or a whole
     * restart migrates.
     */
    record Act(JobAction action, String commandId, String requestedBy, boolean purgeDestination, List<String> restartDatabases,
               List<String> resolvedDatabases, Instant now) implements Input {}

    /** An edit of the job; {@code onSource}: the source's databases (null if unknown), against which added ones are checked. */
    record Edit(JobPatch patch, String commandId, List<String> onSource, Instant now) implements Input {}

    /** A worker's report on dms.progress (or the orchestrator's own, for a promote nobody finished). */
    record Report(WorkerEvent event, Instant now) implements Input {}

    /** The copy-retry timer: units whose backoff is over may be sent. */
    record RetriesDue(Instant now) implements Input {}

    /** The lease timer: dump tasks whose lease expired are sent again ({@link TaskLeases}). */
    record LeasesExpired(Instant now) implements Input {}

    /** The promote timer: a drain past its deadline, which no cdc-worker reported on, fails. */
    record PromoteTick(Instant now) implements Input {}

    /** The job's connection profiles changed (edited, or their secrets re-sealed): running streams get them again. */
    record ProfilesChanged(Instant now) implements Input {}
}
