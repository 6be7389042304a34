package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A unit of full-dump work on {@code dms.dump-tasks} (key = jobId/database, copies jobId/database#unit), taken by one
 * dump-worker of the consumer group: one record per {@link Kind}, each carrying only what its work needs, on top of
 * the {@link Target} every task has. On the topic a task is one flat JSON object whose {@code kind} names the record
 * (docs/schemas/dump-task.schema.json); {@code slotName} and {@code publicationName} are written for readers of the
 * topic, derived from the job and database.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DumpTask.PrepareDatabase.class, name = "PREPARE_DATABASE"),
        @JsonSubTypes.Type(value = DumpTask.CopyTable.class, name = "COPY_TABLE"),
        @JsonSubTypes.Type(value = DumpTask.NewSnapshot.class, name = "NEW_SNAPSHOT"),
        @JsonSubTypes.Type(value = DumpTask.PostData.class, name = "POST_DATA"),
        @JsonSubTypes.Type(value = DumpTask.Cleanup.class, name = "CLEANUP"),
        @JsonSubTypes.Type(value = DumpTask.VerifyData.class, name = "VERIFY_DATA")})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface DumpTask {

    /**
     * What every task carries: the job's run it belongs to and {@code jobVersion}, the version of the job's document
     * when the task was decided (only a {@link DumpControl} newer than both can refuse or cancel it), the database, both profiles (passwords encrypted only), and {@code attempt}: the lease the
     * orchestrator sent the task under (null: no lease). The worker names it in the task's reports and heartbeats
     * ({@link WorkerEvent.TaskRef}); a task sent again after its lease expired carries a higher one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Target(String taskId, String jobId, long runEpoch, Long jobVersion, String database, ConnectionProfile source,
                  ConnectionProfile destination, Instant createTime, Integer attempt) {

        /** A new task's target: a fresh id, created now. */
        public static Target of(String jobId, long runEpoch, long jobVersion, String database, ConnectionProfile source,
                                ConnectionProfile destination, Integer attempt) {
            return new Target(UUID.randomUUID().toString(), jobId, runEpoch, jobVersion, database, source, destination, Instant.now(),
                    attempt);
        }
    }

    /** Each kind's record (as in {@link JsonSubTypes} above, which Jackson reads). */
    Map<Kind, Class<? extends DumpTask>> RECORDS = Map.of(Kind.PREPARE_DATABASE, PrepareDatabase.class, Kind.COPY_TABLE, CopyTable.class,
            Kind.NEW_SNAPSHOT, NewSnapshot.class, Kind.POST_DATA, PostData.class, Kind.CLEANUP, Cleanup.class,
            Kind.VERIFY_DATA, VerifyData.class);

    @JsonProperty("kind")
    default Kind kind() {
        return KindOf.RECORD.get(getClass());
    }

    /** {@link #RECORDS} read the other way, once: a record's kind is looked up on every task written. */
    final class KindOf {
        private static final Map<Class<?>, Kind> RECORD = RECORDS.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

        private KindOf() {}
    }

    /** Serialized flat: its fields are the task's own top-level fields. */
    Target target();

    /**
     * Publication, slot, exported snapshot, pre-data schema, and the plan of copy units. With {@code purgeDestination}
     * (restart): first drop the destination database and the job's old slot and publication. {@code roles} and
     * {@code replicaIdentityFull} are the job's settings (absent: CREATE_MISSING, false); {@code cdcParallelism} the job's
     * number of replication groups (absent: 1): the tables are split into that many publications and slots.
     */
    record PrepareDatabase(@JsonUnwrapped Target target, Boolean purgeDestination, Integer parallelism, RoleHandling roles,
                           Boolean replicaIdentityFull, Integer cdcParallelism) implements DumpTask {

        public PrepareDatabase(Target target, Boolean purgeDestination, Integer parallelism, RoleHandling roles,
                               Boolean replicaIdentityFull) {
            this(target, purgeDestination, parallelism, roles, replicaIdentityFull, null);
        }

        /** The replication groups to make: 1 when absent. */
        @JsonIgnore
        public int groups() {
            return cdcParallelism == null ? 1 : cdcParallelism;
        }
    }

    /**
     * One copy unit (a table, or a range of a big one) under an exported snapshot whose consistent LSN is {@code syncLsn}.
     * {@code bundle}: small whole tables of the same database copied after it, one by one, over the same connections
     * (each its own unit, with the attempt it was sent as); absent or empty for a task of one unit.
     */
    record CopyTable(@JsonUnwrapped Target target, String snapshotName, String syncLsn, CopyUnit unit,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BundledUnit> bundle) implements DumpTask {

        public CopyTable {
            bundle = bundle == null ? List.of() : List.copyOf(bundle);
        }

        /** A task of one unit. */
        public CopyTable(Target target, String snapshotName, String syncLsn, CopyUnit unit) {
            this(target, snapshotName, syncLsn, unit, List.of());
        }

        /** The task as one task per unit, in order: its own unit first, then each bundled one with its attempt. */
        public List<CopyTable> oneByOne() {
            List<CopyTable> all = new ArrayList<>(1 + bundle.size());
            all.add(bundle.isEmpty() ? this : new CopyTable(target, snapshotName, syncLsn, unit));
            for (BundledUnit b : bundle) {
                Target t = target;
                all.add(new CopyTable(new Target(t.taskId(), t.jobId(), t.runEpoch(), t.jobVersion(), t.database(), t.source(),
                        t.destination(), t.createTime(), b.attempt()), snapshotName, syncLsn, b.unit()));
            }
            return all;
        }

        @Override
        public Integer unitNo() {
            return unit == null ? null : unit.unitNo();
        }

        /** The unit's table, written for readers of the topic. */
        @JsonProperty("table")
        public String table() {
            return unit == null ? null : unit.qualifiedName();
        }
    }

    /** A unit of a bundle, and the attempt the orchestrator sent it as (each unit counts its own). */
    record BundledUnit(CopyUnit unit, int attempt) {}

    /**
     * The resumable path (docs/data-path.md, rule 2): a new exported snapshot (a temporary slot's, whose consistent LSN
     * is the sync LSN of what is copied under it) for a dump that lost its snapshot (resume after a stop, the holding
     * worker died). {@code recopyTables} are emptied on the destination first; the job's slot and the tables already
     * copied stay.
     */
    record NewSnapshot(@JsonUnwrapped Target target, List<TableName> recopyTables) implements DumpTask {
    }

    /** Indexes, constraints, triggers, materialized views; then sequences. Ends the database's dump. {@code roles}: the job's setting. */
    record PostData(@JsonUnwrapped Target target, Integer parallelism, RoleHandling roles) implements DumpTask {
    }

    /** Drops the slot and publication on the source (delete, remove a database); with {@code purgeDestination} the destination database too. */
    record Cleanup(@JsonUnwrapped Target target, Boolean purgeDestination) implements DumpTask {
    }

    /**
     * Row counts and md5 of every table on both sides, in key chunks (docs/verify.md), reported under {@code verificationId};
     * changes nothing. {@code live}: CDC runs, so each chunk is compared once the destination applied the source's
     * snapshot of it (a marker through the stream); otherwise directly.
     */
    record VerifyData(@JsonUnwrapped Target target, String verificationId, Boolean live) implements DumpTask {
    }

    enum Kind { PREPARE_DATABASE, COPY_TABLE, NEW_SNAPSHOT, POST_DATA, CLEANUP, VERIFY_DATA }

    /** A task of a whole database (prepare, post-data, cleanup) of one of those kinds, with the job's settings it needs. */
    static DumpTask forDatabase(Kind kind, Target target, Boolean purgeDestination, Integer parallelism, RoleHandling roles,
                                Boolean replicaIdentityFull, Integer cdcParallelism) {
        return switch (kind) {
            case PREPARE_DATABASE -> new PrepareDatabase(target, purgeDestination, parallelism, roles, replicaIdentityFull,
                    cdcParallelism);
            case POST_DATA -> new PostData(target, parallelism, roles);
            case CLEANUP -> new Cleanup(target, purgeDestination);
            case COPY_TABLE, NEW_SNAPSHOT, VERIFY_DATA -> throw new IllegalArgumentException(kind + " is not a task of a whole database");
        };
    }

    @JsonIgnore
    default String jobId() {
        return target().jobId();
    }

    @JsonIgnore
    default long runEpoch() {
        return target().runEpoch();
    }

    @JsonIgnore
    default String database() {
        return target().database();
    }

    @JsonIgnore
    default ConnectionProfile source() {
        return target().source();
    }

    @JsonIgnore
    default ConnectionProfile destination() {
        return target().destination();
    }

    @JsonIgnore
    default Integer attempt() {
        return target().attempt();
    }

    @JsonProperty("slotName")
    default String slotName() {
        return ReplicationNames.slot(jobId(), database());
    }

    @JsonProperty("publicationName")
    default String publicationName() {
        return ReplicationNames.publication(jobId(), database());
    }

    /** The copy unit's number (copies only). */
    @JsonIgnore
    default Integer unitNo() {
        return null;
    }

    /** What this task's reports and heartbeats name as attempt {@code n} of its lease; null for a task sent without a lease. */
    default WorkerEvent.TaskRef ref(Integer n) {
        return n == null ? null : new WorkerEvent.TaskRef(kind(), unitNo(), n);
    }

    /**
     * Copies of one database spread over the partitions (so over the dump-worker instances: any of them can import
     * the exported snapshot); the other tasks of a database share one key.
     */
    default String kafkaKey() {
        return unitNo() != null ? jobId() + "/" + database() + "#" + unitNo() : jobId() + "/" + database();
    }
}
