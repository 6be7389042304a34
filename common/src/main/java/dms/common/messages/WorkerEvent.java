package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dms.common.statemachine.WorkerSignal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A worker's report on {@code dms.progress} (key = jobId) about one database of a job: one record per {@link Kind},
 * on top of the {@link Header} every report has. A {@link #signal()} moves the job (see
 * {@link dms.common.statemachine.JobStateMachine}); the other kinds update progress, copy units, data checks and
 * leases. Reports from an older {@code runEpoch} than the job's are dropped. On the topic a report is one flat JSON
 * object whose {@code kind} names the record (docs/schemas/worker-event.schema.json); one written before {@code kind}
 * existed is read by the fields it has ({@link WorkerEventReader}).
 */
@JsonDeserialize(using = WorkerEventReader.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface WorkerEvent {

    enum Kind { SIGNAL, DUMP_STARTED, SNAPSHOT_TAKEN, STREAM_PROGRESS, STREAM_TROUBLE, UNIT_DONE, DATA_CHECK, HEARTBEAT, TABLE_ADDED, TABLE_NOT_TAKEN }

    /**
     * What every report carries. {@code task} (optional) names the dump task a report answers, or a heartbeat is
     * about: the orchestrator ignores a report of a superseded attempt and extends the lease of a running one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Header(String eventId, String jobId, long runEpoch, String database, String worker, Instant time, TaskRef task) {

        /** A new report's header: a fresh id, now, no task named. */
        public static Header of(String jobId, long runEpoch, String database, String worker) {
            return new Header(UUID.randomUUID().toString(), jobId, runEpoch, database, worker, Instant.now(), null);
        }

        public Header withTask(TaskRef ref) {
            return new Header(eventId, jobId, runEpoch, database, worker, time, ref);
        }
    }

    /** Each kind's record: the reader reads a kind as its record, and a report writes its kind by it. */
    Map<Kind, Class<? extends WorkerEvent>> RECORDS = Map.of(Kind.SIGNAL, Signalled.class, Kind.DUMP_STARTED, DumpStarted.class,
            Kind.SNAPSHOT_TAKEN, SnapshotTaken.class, Kind.STREAM_PROGRESS, StreamProgress.class, Kind.STREAM_TROUBLE, StreamTrouble.class,
            Kind.UNIT_DONE, UnitDone.class, Kind.DATA_CHECK, DataChecked.class, Kind.HEARTBEAT, Heartbeat.class,
            Kind.TABLE_ADDED, NewTable.class, Kind.TABLE_NOT_TAKEN, NewTableNotTaken.class);

    @JsonProperty("kind")
    default Kind kind() {
        return KindOf.RECORD.get(getClass());
    }

    /** {@link #RECORDS} read the other way, once: a record's kind is looked up on every report written. */
    final class KindOf {
        private static final Map<Class<?>, Kind> RECORD = RECORDS.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

        private KindOf() {}
    }

    /** Serialized flat: its fields are the report's own top-level fields. */
    Header header();

    /** The same report with another header (a task named). */
    WorkerEvent withHeader(Header header);

    /** The signal that moves the job; null for a report that does not. */
    default WorkerSignal signal() {
        return null;
    }

    /** The error a report carries (FAILED's, a passing trouble's, a cleanup's leftovers); null when none. */
    default String error() {
        return null;
    }

    /**
     * A signal: STOPPED, RESUMED (the cdc-worker's; a dump's new snapshot is {@link SnapshotTaken}), DUMP_COMPLETED,
     * PROMOTED, CLEANED_UP (with an error naming what was left), FAILED (with its error). DUMP_STARTED is {@link DumpStarted}.
     */
    @JsonDeserialize(using = JsonDeserializer.None.class) // read as itself once WorkerEventReader chose it
    record Signalled(@JsonUnwrapped Header header, @JsonProperty("signal") WorkerSignal signal, @JsonProperty("error") String error)
            implements WorkerEvent {
        public Signalled {
            if (signal == null || signal == WorkerSignal.DUMP_STARTED) {
                throw new IllegalArgumentException("a signal report needs a signal other than DUMP_STARTED (a DumpStarted), not " + signal);
            }
        }


        public Signalled withHeader(Header h) {
            return new Signalled(h, signal, error);
        }

        public Signalled withError(String message) {
            return new Signalled(header, signal, message);
        }
    }

    /**
     * DUMP_STARTED: the database is prepared. Where the snapshot is ({@code consistentLsn}: its sync LSN), what to copy
     * ({@code units}), the tables without a replica identity, and those the job set to REPLICA IDENTITY FULL with the
     * user's consent (the job's replicaIdentityFull).
     */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record DumpStarted(@JsonUnwrapped Header header, String slotName, String consistentLsn, String snapshotName, List<CopyUnit> units,
                       List<String> tablesWithoutReplicaIdentity, List<String> replicaIdentityFullSet) implements WorkerEvent {

        @Override
        @JsonProperty("signal")
        public WorkerSignal signal() {
            return WorkerSignal.DUMP_STARTED;
        }

        /** Written for readers of the topic: the copies' sync LSN is the snapshot's. */
        @JsonProperty("syncLsn")
        public String syncLsn() {
            return consistentLsn;
        }

        public DumpStarted withHeader(Header h) {
            return new DumpStarted(h, slotName, consistentLsn, snapshotName, units, tablesWithoutReplicaIdentity, replicaIdentityFullSet);
        }
    }

    /** RESUMED from a dump's NEW_SNAPSHOT task: the snapshot the remaining copies import and its consistent LSN. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record SnapshotTaken(@JsonUnwrapped Header header, String snapshotName, String syncLsn) implements WorkerEvent {

        @Override
        @JsonProperty("signal")
        public WorkerSignal signal() {
            return WorkerSignal.RESUMED;
        }

        public SnapshotTaken withHeader(Header h) {
            return new SnapshotTaken(h, snapshotName, syncLsn);
        }
    }

    /**
     * CDC's progress: lag against the source (unknown: null), WAL the slot retains, the source's
     * {@code max_slot_wal_keep_size} in bytes (-1: unlimited), where the stream's applied position is, and its running
     * count of updates and deletes that found no row on the destination (all its runs; committed with its position).
     */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record StreamProgress(@JsonUnwrapped Header header, Long lagBytes, Double lagSeconds, Long retainedWalBytes,
                          Long maxSlotWalKeepSizeBytes, String appliedLsn, Long unmatchedChanges) implements WorkerEvent {

        public StreamProgress withHeader(Header h) {
            return new StreamProgress(h, lagBytes, lagSeconds, retainedWalBytes, maxSlotWalKeepSizeBytes, appliedLsn, unmatchedChanges);
        }
    }

    /** A passing trouble of a database's stream (it starts again): shown in its progress and counted; the job does not move. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record StreamTrouble(@JsonUnwrapped Header header, @JsonProperty("error") String error) implements WorkerEvent {

        public StreamTrouble withHeader(Header h) {
            return new StreamTrouble(h, error);
        }
    }

    /**
     * The outcome of one copy task ({@code DumpTask.CopyTable}) under the snapshot it was given; for a task with a bundle,
     * each bundled unit's outcome too, with the attempt it was sent as (one report for the whole task).
     */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record UnitDone(@JsonUnwrapped Header header, UnitReport unit,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BundledUnitReport> bundle) implements WorkerEvent {

        public UnitDone {
            bundle = bundle == null ? List.of() : List.copyOf(bundle);
        }

        /** The report of a task of one unit. */
        public UnitDone(Header header, UnitReport unit) {
            this(header, unit, List.of());
        }

        public UnitDone withHeader(Header h) {
            return new UnitDone(h, unit, bundle);
        }
    }

    /** A bundled unit's outcome and the attempt it was sent as. */
    record BundledUnitReport(UnitReport unit, int attempt) {}

    /** A dump-worker's data check of one database (verify from CDC on): one report per table checked, then the end. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record DataChecked(@JsonUnwrapped Header header, DataCheckReport dataCheck) implements WorkerEvent {

        public DataChecked withHeader(Header h) {
            return new DataChecked(h, dataCheck);
        }
    }

    /** The task named in the header still runs in its worker: its lease is extended. {@code snapshotName}: a copy's snapshot. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Heartbeat(@JsonUnwrapped Header header, String snapshotName) implements WorkerEvent {

        public Heartbeat withHeader(Header h) {
            return new Heartbeat(h, snapshotName);
        }
    }

    /** A cdc-worker's word that a table created on the source during CDC is now replicated. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record NewTable(@JsonUnwrapped Header header, TableAdded tableAdded) implements WorkerEvent {

        public NewTable withHeader(Header h) {
            return new NewTable(h, tableAdded);
        }
    }

    /** A cdc-worker's word that a table created on the source during CDC cannot be replicated (it stays on the source only). */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record NewTableNotTaken(@JsonUnwrapped Header header, TableNotTaken tableNotTaken) implements WorkerEvent {

        public NewTableNotTaken withHeader(Header h) {
            return new NewTableNotTaken(h, tableNotTaken);
        }
    }

    /**
     * A data check's report of one database: one per table checked, then one with {@code databaseDone} and how the
     * database was compared ({@code incomplete} when it stopped before its last table).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DataCheckReport(String verificationId, TableCheck table, boolean databaseDone, String note, Boolean incomplete) {

        public DataCheckReport(String verificationId, TableCheck table, boolean databaseDone, String note) {
            this(verificationId, table, databaseDone, note, null);
        }

        /** The end of a database whose check stopped before its last table (the job changed, a connection failed). */
        public static DataCheckReport stoppedEarly(String verificationId, String note) {
            return new DataCheckReport(verificationId, null, true, note, true);
        }

        public boolean checkedEveryTable() {
            return !Boolean.TRUE.equals(incomplete);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UnitReport(int unitNo, String table, UnitState state, long rows, long bytes, long millis, String error,
                      boolean retryable, String snapshotName) {}

    enum UnitState {
        COPIED,
        FAILED,
        CANCELLED,
        /** The snapshot could not be imported any more (its holder is gone): the database needs a new one. */
        SNAPSHOT_LOST
    }

    /**
     * The dump task a report is about: its kind, its unit (copies only) and the attempt it was sent as
     * ({@code DumpTask.Target.attempt}). A {@link Heartbeat} names one: the task still runs, its lease is extended
     * (docs/data-path.md, Leases).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskRef(DumpTask.Kind kind, Integer unitNo, int attempt) {}

    /**
     * A table created on the source during CDC that the cdc-worker brought over: created on the destination (unless one
     * of that name was there), its rows copied, its changes after {@code syncLsn} streamed. {@code millis}: from when the
     * worker found it to when its copy committed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TableAdded(String table, boolean created, long rows, long bytes, String syncLsn, long millis) {}

    /**
     * A table created on the source during CDC that the stream cannot replicate, and {@code reason} why (no primary key
     * or replica identity, unlogged): said once per stream start, the table stays on the source only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TableNotTaken(String table, String reason) {}

    /** The same report, naming the task it answers. */
    default WorkerEvent withTask(TaskRef ref) {
        return withHeader(header().withTask(ref));
    }

    @JsonIgnore
    default String eventId() {
        return header().eventId();
    }

    @JsonIgnore
    default String jobId() {
        return header().jobId();
    }

    @JsonIgnore
    default long runEpoch() {
        return header().runEpoch();
    }

    @JsonIgnore
    default String database() {
        return header().database();
    }

    @JsonIgnore
    default String worker() {
        return header().worker();
    }

    @JsonIgnore
    default Instant time() {
        return header().time();
    }

    @JsonIgnore
    default TaskRef task() {
        return header().task();
    }

    static Signalled signal(String jobId, long runEpoch, String database, WorkerSignal signal, String worker) {
        return new Signalled(Header.of(jobId, runEpoch, database, worker), signal, null);
    }

    /** A bare signal as the record that carries it: DUMP_STARTED with an empty plan (nothing to copy), else {@link Signalled}. */
    static WorkerEvent bare(String jobId, long runEpoch, String database, WorkerSignal signal, String worker) {
        Header header = Header.of(jobId, runEpoch, database, worker);
        return signal == WorkerSignal.DUMP_STARTED ? new DumpStarted(header, null, null, null, List.of(), null, null)
                : new Signalled(header, signal, null);
    }

    static Heartbeat heartbeat(String jobId, long runEpoch, String database, String worker, TaskRef task, String snapshotName) {
        return new Heartbeat(Header.of(jobId, runEpoch, database, worker).withTask(task), snapshotName);
    }
}
