package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the orchestrator wants of the dump-workers for one job, on the compacted {@code dms.dump-control} topic (key
 * jobId; docs/schemas/dump-control.schema.json). A new record follows every new version of the job's document; every
 * dump-worker instance reads the topic whole. It is the explicit message that cancels work: a worker never reads the job
 * document to guess. A task carries the {@code jobVersion} it was decided in ({@link DumpTask.Target}); only a record
 * newer than that can refuse or cancel it, so a task that overtakes its job's record runs, and a record that overtakes a
 * task stops it.
 *
 * <p>{@code status} ("RUNNING/FULL_DUMP") is for logs and notes; {@code ended} is true once the job is COMPLETED or
 * DELETED (its per-job meters go). A database the record does not list is not refused: its record is still on the way.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpControl(String jobId, long runEpoch, long jobVersion, String status, boolean ended, List<DatabaseWork> databases) {

    /**
     * What a database's dump-worker work may do now, in run {@code runEpoch}: be prepared (a redelivered PREPARE of a
     * database already planned must not replace its slot under the copies), copy (and build its indexes and post-data,
     * take a new snapshot), keep its exported snapshot held (copies still need it), and compare data: NONE, LIVE
     * (markers through the running stream) or DIRECT (CDC is not running).
     */
    public record DatabaseWork(String database, boolean prepare, boolean copy, boolean holdSnapshot, Verify verify) {}

    public enum Verify { NONE, LIVE, DIRECT }

    public Optional<DatabaseWork> database(String database) {
        return databases == null ? Optional.empty() : databases.stream().filter(d -> d.database().equals(database)).findFirst();
    }

    /**
     * Whether this record stops work on {@code database} decided in run {@code runEpoch}, job version {@code version}
     * (a task, a running copy, a held snapshot): only a newer record can, because of a newer run or because the
     * database's work no longer passes {@code wanted}.
     */
    public boolean stops(long taskRunEpoch, Long taskVersion, String database, Predicate<DatabaseWork> wanted) {
        if (runEpoch != taskRunEpoch) {
            return runEpoch > taskRunEpoch;
        }
        return (taskVersion == null || jobVersion > taskVersion) && database(database).map(w -> !wanted.test(w)).orElse(false);
    }

    /** Whether this record stops {@code task}'s work: {@link #stops(long, Long, String, Predicate)} for the task's run, version and database. */
    public boolean stops(DumpTask task, Predicate<DatabaseWork> wanted) {
        return stops(task.runEpoch(), task.target().jobVersion(), task.database(), wanted);
    }

    /**
     * Why this record refuses {@code task}, or empty when the task is to run. Copies are not refused here: a copy that
     * is no longer wanted is answered CANCELLED, as the orchestrator counts it. Cleanup always runs.
     */
    public Optional<String> refusal(DumpTask task) {
        if (task.kind() == DumpTask.Kind.COPY_TABLE || task.kind() == DumpTask.Kind.CLEANUP
                || !stops(task, wants(task.kind()))) {
            return Optional.empty();
        }
        return Optional.of(runEpoch > task.runEpoch() ? "the job is in a newer run (" + runEpoch + ")" : "the job is " + status + " now");
    }

    /** What a database's work must allow for a task of this kind to be wanted. */
    public static Predicate<DatabaseWork> wants(DumpTask.Kind kind) {
        return switch (kind) {
            case PREPARE_DATABASE -> DatabaseWork::prepare;
            case COPY_TABLE, POST_DATA, NEW_SNAPSHOT -> DatabaseWork::copy;
            case VERIFY_DATA -> w -> w.verify() != Verify.NONE;
            case CLEANUP -> w -> true;
        };
    }
}
