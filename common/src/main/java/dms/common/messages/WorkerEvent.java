package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.WorkerSignal;
import java.time.Instant;
import java.util.List;

/**
 * A worker's report on {@code dms.progress} (key = jobId) about one database of a job.
 * {@code signal} moves the job (see {@link dms.common.statemachine.JobStateMachine});
 * a report without a signal only updates progress. Reports from an older {@code runEpoch}
 * than the job's are dropped. {@code task} (optional) names the dump task a report answers, or a heartbeat
 * is about: the orchestrator ignores a report of a superseded attempt and extends the lease of a running one.
 * {@code unmatchedChanges}: a stream's count of updates and deletes that found no row on the destination (all
 * its runs); {@code replicaIdentityFullSet}: the tables a prepare set to REPLICA IDENTITY FULL; {@code tableNotTaken}: a
 * table created on the source during CDC that the stream cannot replicate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerEvent(
        String eventId,
        String jobId,
        long runEpoch,
        String database,
        WorkerSignal signal,
        String worker,
        Instant time,
        String slotName,
        String consistentLsn,
        Long tablesTotal,
        Long tablesCopied,
        Long rowsCopied,
        Long bytesCopied,
        Long lagBytes,
        Double lagSeconds,
        Long retainedWalBytes,
        String error,
        String snapshotName,
        List<CopyUnit> units,
        List<String> tablesWithoutReplicaIdentity,
        UnitReport unit,
        String syncLsn,
        DataCheckReport dataCheck,
        String appliedLsn,
        Long maxSlotWalKeepSizeBytes,
        TaskRef task,
        Long unmatchedChanges,
        List<String> replicaIdentityFullSet,
        TableAdded tableAdded,
        TableNotTaken tableNotTaken) {

    /** Every report but a {@link #tableNotTaken}: the factories below build them so. */
    public WorkerEvent(String eventId, String jobId, long runEpoch, String database, WorkerSignal signal, String worker, Instant time,
                       String slotName, String consistentLsn, Long tablesTotal, Long tablesCopied, Long rowsCopied, Long bytesCopied,
                       Long lagBytes, Double lagSeconds, Long retainedWalBytes, String error, String snapshotName, List<CopyUnit> units,
                       List<String> tablesWithoutReplicaIdentity, UnitReport unit, String syncLsn, DataCheckReport dataCheck,
                       String appliedLsn, Long maxSlotWalKeepSizeBytes, TaskRef task, Long unmatchedChanges,
                       List<String> replicaIdentityFullSet, TableAdded tableAdded) {
        this(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn, tablesTotal, tablesCopied, rowsCopied,
                bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error, snapshotName, units, tablesWithoutReplicaIdentity, unit,
                syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded, null);
    }

    /**
     * A dump-worker's data check of one database (verify from CDC on): one report per table
     * checked, then one with {@code databaseDone} and how the database was compared ({@code incomplete}
     * when it stopped before its last table).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataCheckReport(String verificationId, TableCheck table, boolean databaseDone, String note, Boolean incomplete) {

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

    public static WorkerEvent dataCheck(String jobId, long runEpoch, String database, String worker, DataCheckReport report) {
        return new WorkerEvent(java.util.UUID.randomUUID().toString(), jobId, runEpoch, database, null, worker,
                Instant.now(), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, report, null, null, null, null, null, null);
    }

    /** The outcome of one copy task ({@code DumpTask.unit}) under the snapshot it was given. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnitReport(int unitNo, String table, UnitState state, long rows, long bytes, long millis, String error,
                             boolean retryable, String snapshotName) {}

    /**
     * The dump task a report is about: its kind, its unit (copies only) and the attempt it was sent as
     * ({@code DumpTask.attempt}). A report without a signal, a unit or a data check that names a task is a
     * heartbeat: the task still runs, its lease is extended (docs/data-path.md, Leases).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskRef(DumpTask.Kind kind, Integer unitNo, int attempt) {}

    /** The task still runs in {@code worker}: its lease is extended. {@code snapshotName}: a copy's snapshot. */
    public static WorkerEvent heartbeat(String jobId, long runEpoch, String database, String worker, TaskRef task, String snapshotName) {
        return new WorkerEvent(java.util.UUID.randomUUID().toString(), jobId, runEpoch, database, null, worker,
                Instant.now(), null, null, null, null, null, null, null, null, null, null, snapshotName, null, null, null, null, null, null, null,
                task, null, null, null);
    }

    /** Whether this report only says that its task still runs. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isHeartbeat() {
        return task != null && signal == null && unit == null && dataCheck == null;
    }

    /** The same report, naming the task it answers. */
    public WorkerEvent withTask(TaskRef ref) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, ref, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }

    /**
     * A table created on the source during CDC that the cdc-worker brought over: created on the destination
     * (unless one of that name was there), its rows copied, its changes after {@code syncLsn} streamed.
     * {@code millis}: from when the worker found it to when its copy committed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TableAdded(String table, boolean created, long rows, long bytes, String syncLsn, long millis) {}

    /** A cdc-worker's word that a table created on the source during CDC is now replicated. */
    public static WorkerEvent tableAdded(String jobId, long runEpoch, String database, String worker, TableAdded added) {
        return signal(jobId, runEpoch, database, null, worker).withTableAdded(added);
    }

    private WorkerEvent withTableAdded(TableAdded added) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, added);
    }

    /**
     * A table created on the source during CDC that the stream cannot replicate, and {@code reason} why (no primary key
     * or replica identity, unlogged): said once per stream start, the table stays on the source only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TableNotTaken(String table, String reason) {}

    /** A cdc-worker's word that a table created on the source during CDC is not replicated. */
    public static WorkerEvent tableNotTaken(String jobId, long runEpoch, String database, String worker, TableNotTaken notTaken) {
        WorkerEvent e = signal(jobId, runEpoch, database, null, worker);
        return new WorkerEvent(e.eventId, jobId, runEpoch, database, null, worker, e.time, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, notTaken);
    }

    public enum UnitState {
        COPIED,
        FAILED,
        CANCELLED,
        /** The snapshot could not be imported any more (its holder is gone): the database needs a new one. */
        SNAPSHOT_LOST
    }

    public static WorkerEvent signal(String jobId, long runEpoch, String database, WorkerSignal signal, String worker) {
        return new WorkerEvent(java.util.UUID.randomUUID().toString(), jobId, runEpoch, database, signal, worker,
                Instant.now(), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static WorkerEvent unitDone(String jobId, long runEpoch, String database, String worker, UnitReport report) {
        return new WorkerEvent(java.util.UUID.randomUUID().toString(), jobId, runEpoch, database, null, worker,
                Instant.now(), null, null, null, null, null, null, null, null, null, null, null, null, null, report, null, null, null, null, null, null, null, null);
    }

    public WorkerEvent withError(String message) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, message,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }

    /** DUMP_STARTED's payload: where the snapshot is and what to copy. */
    public WorkerEvent withDumpPlan(String slot, String lsn, String snapshot, List<CopyUnit> plan, List<String> withoutIdentity) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slot, lsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshot, plan, withoutIdentity, unit, lsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }

    /** DUMP_STARTED's tables the job set to REPLICA IDENTITY FULL, with the user's consent (the job's replicaIdentityFull). */
    public WorkerEvent withReplicaIdentityFullSet(List<String> tables) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task,
                unmatchedChanges, tables, tableAdded);
    }

    /** NEW_SNAPSHOT's answer: the snapshot the remaining copies import and its consistent LSN. */
    public WorkerEvent withSnapshot(String snapshot, String lsn) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshot, units, tablesWithoutReplicaIdentity, unit, lsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }

    /** CDC's progress: lag against the source and WAL the slot retains. */
    public WorkerEvent withLag(Long lagBytes, Double lagSeconds, Long retainedWalBytes) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }

    /**
     * The slot's state beyond the WAL it retains: the source's {@code max_slot_wal_keep_size} in bytes
     * (-1: unlimited), and where the stream's applied position is (null: no stream, or not known).
     */
    public WorkerEvent withSlot(Long maxKeepBytes, String applied) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, applied, maxKeepBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }

    /** CDC's running count of updates and deletes that found no row on the destination (committed with its position). */
    public WorkerEvent withUnmatched(long unmatched) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task,
                unmatched, replicaIdentityFullSet, tableAdded);
    }

    public WorkerEvent withCounts(Long tables, Long rows, Long bytes) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tables, tables, rows, bytes, lagBytes, lagSeconds, retainedWalBytes, error,
                snapshotName, units, tablesWithoutReplicaIdentity, unit, syncLsn, dataCheck, appliedLsn, maxSlotWalKeepSizeBytes, task, unmatchedChanges, replicaIdentityFullSet, tableAdded);
    }
}
