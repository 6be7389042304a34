package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A unit of full-dump work on {@code dms.dump-tasks} (key = jobId/database), taken by one
 * dump-worker of the consumer group. A worker drops a task whose {@code runEpoch} is older
 * than the job's current one. Profiles carry the password encrypted only.
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
        Integer parallelism) {

    /** A task for a whole database (prepare, post-data, wipe, cleanup). */
    public static DumpTask forDatabase(Kind kind, String jobId, long runEpoch, String database, ConnectionProfile source,
                                       ConnectionProfile destination, Boolean purgeDestination, Integer parallelism) {
        return new DumpTask(java.util.UUID.randomUUID().toString(), kind, jobId, runEpoch, database, null, source,
                destination, purgeDestination, Instant.now(), ReplicationNames.slot(jobId, database),
                ReplicationNames.publication(jobId, database), null, null, parallelism);
    }

    /** Copies one unit under the database's exported snapshot. */
    public static DumpTask copy(String jobId, long runEpoch, String database, ConnectionProfile source,
                                ConnectionProfile destination, String snapshotName, CopyUnit unit) {
        return new DumpTask(java.util.UUID.randomUUID().toString(), Kind.COPY_TABLE, jobId, runEpoch, database,
                unit.qualifiedName(), source, destination, null, Instant.now(), ReplicationNames.slot(jobId, database),
                ReplicationNames.publication(jobId, database), snapshotName, unit, null);
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
        /** Indexes, constraints, triggers; then sequences. Ends the database's dump. */
        POST_DATA,
        /** Drop the slot and publication on the source (delete, remove a database). */
        CLEANUP
    }

    public String kafkaKey() {
        return jobId + "/" + database;
    }
}
