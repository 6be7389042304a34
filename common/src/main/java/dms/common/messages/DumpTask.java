package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A unit of full-dump work on {@code dms.dump-tasks} (key = jobId/database, copies jobId/database#unit), taken by one
 * dump-worker of the consumer group. A worker drops a task whose {@code runEpoch} is older
 * than the job's current one. Profiles carry the password encrypted only. {@code attempt} (optional): the
 * lease the orchestrator sent the task under; the worker names it in the task's reports and heartbeats
 * ({@link WorkerEvent.TaskRef}), and a task sent again after its lease expired carries a higher one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpTask(
        String taskId,
        Kind kind,
        String jobId,
        long runEpoch,
        String database,
        String table,
        ConnectionProfile source,
        ConnectionProfile destination,
        Boolean purgeDestination,
        Instant createTime,
        String slotName,
        String publicationName,
        String snapshotName,
        CopyUnit unit,
        Integer parallelism,
        String syncLsn,
        List<TableName> recopyTables,
        String verificationId,
        Integer attempt) {

    /** A task for a whole database (prepare, post-data, wipe, cleanup). */
    public static DumpTask forDatabase(Kind kind, String jobId, long runEpoch, String database, ConnectionProfile source,
                                       ConnectionProfile destination, Boolean purgeDestination, Integer parallelism) {
        return new DumpTask(java.util.UUID.randomUUID().toString(), kind, jobId, runEpoch, database, null, source,
                destination, purgeDestination, Instant.now(), ReplicationNames.slot(jobId, database),
                ReplicationNames.publication(jobId, database), null, null, parallelism, null, null, null, null);
    }

    /** Copies one unit under an exported snapshot whose consistent LSN is {@code syncLsn}. */
    public static DumpTask copy(String jobId, long runEpoch, String database, ConnectionProfile source,
                                ConnectionProfile destination, String snapshotName, String syncLsn, CopyUnit unit) {
        return new DumpTask(java.util.UUID.randomUUID().toString(), Kind.COPY_TABLE, jobId, runEpoch, database,
                unit.qualifiedName(), source, destination, null, Instant.now(), ReplicationNames.slot(jobId, database),
                ReplicationNames.publication(jobId, database), snapshotName, unit, null, syncLsn, null, null, null);
    }

    /** A fresh snapshot for the tables not copied yet, which are emptied on the destination first. */
    public static DumpTask newSnapshot(String jobId, long runEpoch, String database, ConnectionProfile source,
                                       ConnectionProfile destination, List<TableName> recopyTables) {
        return new DumpTask(java.util.UUID.randomUUID().toString(), Kind.NEW_SNAPSHOT, jobId, runEpoch, database,
                null, source, destination, null, Instant.now(), ReplicationNames.slot(jobId, database),
                ReplicationNames.publication(jobId, database), null, null, null, null, recopyTables, null, null);
    }

    /** Compares the database's tables on both sides (verify from CDC on), reporting under {@code verificationId}. */
    public static DumpTask verifyData(String jobId, long runEpoch, String database, ConnectionProfile source,
                                      ConnectionProfile destination, String verificationId) {
        return new DumpTask(java.util.UUID.randomUUID().toString(), Kind.VERIFY_DATA, jobId, runEpoch, database, null,
                source, destination, null, Instant.now(), ReplicationNames.slot(jobId, database),
                ReplicationNames.publication(jobId, database), null, null, null, null, null, verificationId, null);
    }

    /** The same task sent as attempt {@code n} of its lease. */
    public DumpTask withAttempt(Integer n) {
        return new DumpTask(taskId, kind, jobId, runEpoch, database, table, source, destination, purgeDestination, createTime,
                slotName, publicationName, snapshotName, unit, parallelism, syncLsn, recopyTables, verificationId, n);
    }

    /** What this task's reports and heartbeats name; null for a task sent without a lease. */
    public WorkerEvent.TaskRef ref() {
        return attempt == null ? null : new WorkerEvent.TaskRef(kind, unit == null ? null : unit.unitNo(), attempt);
    }

    public enum Kind {
        /**
         * Publication, slot, exported snapshot, pre-data schema, and the plan of copy units.
         * With {@code purgeDestination} (restart): first drop the destination database and the
         * job's old slot and publication.
         */
        PREPARE_DATABASE,
        /** One table, or one range of a big table. */
        COPY_TABLE,
        /**
         * The resumable path (docs/data-path.md, rule 2): a new exported snapshot (a temporary slot's,
         * whose consistent LSN is the sync LSN of what is copied under it) for a dump that lost
         * its snapshot (resume after a stop, the holding worker died). {@code recopyTables} are
         * emptied on the destination first; the job's slot and the tables already copied stay.
         */
        NEW_SNAPSHOT,
        /** Indexes, constraints, triggers; then sequences. Ends the database's dump. */
        POST_DATA,
        /** Drop the slot and publication on the source (delete, remove a database). */
        CLEANUP,
        /** Row counts and md5 of every table on both sides, in key chunks (docs/verify.md); changes nothing. */
        VERIFY_DATA
    }

    /**
     * Copies of one database spread over the partitions (so over the dump-worker instances: any of
     * them can import the exported snapshot); the other tasks of a database share one key.
     */
    public String kafkaKey() {
        return kind == Kind.COPY_TABLE && unit != null ? jobId + "/" + database + "#" + unit.unitNo() : jobId + "/" + database;
    }
}
