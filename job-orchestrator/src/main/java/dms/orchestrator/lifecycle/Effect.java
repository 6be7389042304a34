package dms.orchestrator.lifecycle;

import dms.common.messages.CdcControl;
import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.TableName;
import dms.common.statemachine.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A message a decision sends, in the order decided; {@link EffectOutbox} writes them to the outbox
 * with the job's connection profiles, so they are sent if and only if the decision is committed.
 */
public sealed interface Effect {

    /**
     * A task for a whole database on dms.dump-tasks: PREPARE_DATABASE, POST_DATA or CLEANUP, sent as
     * {@code attempt} of the database's tasks (its lease: {@link TaskLeases}).
     */
    record DatabaseTask(DumpTask.Kind kind, String database, Boolean purgeDestination, Integer parallelism, int attempt) implements Effect {}

    /** NEW_SNAPSHOT: a fresh snapshot for {@code recopy}, the tables not copied yet. */
    record NewSnapshot(String database, List<TableName> recopy, int attempt) implements Effect {}

    /**
     * COPY_TABLE of one unit under the database's current snapshot, as the unit's {@code attempt}, and of the small units
     * bundled after it in the same task (none: empty).
     */
    record Copy(String database, String snapshotName, String syncLsn, String unitJson, int attempt, List<Bundled> bundle) implements Effect {}

    /** A unit copied in another's task, and the attempt it goes as. */
    record Bundled(String unitJson, int attempt) {}

    /** The desired state of the database's stream on dms.cdc-control; a DRAIN carries the promote's deadline. */
    record Cdc(String database, CdcControl.Desired desired, Instant time, Instant drainDeadline) implements Effect {}

    /** No desired state any more (a tombstone on dms.cdc-control): the stream halts and its slot is not watched. */
    record CdcCleared(String database) implements Effect {}

    /** An entry of the job's audit trail (dms.job-events). */
    record Event(JobEvent.Type type, JobStatus from, JobStatus to, String commandId, String database, String message) implements Effect {}

    /** A task failed ({@code retried}: false) or was sent again (true), for the task metrics. */
    record Metric(String task, boolean retried) implements Effect {}

    /** A new version of the job document on dms.job-state, as the decision leaves the job. */
    record PublishDocument() implements Effect {}
}
