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
        Instant createTime) {

    public enum Kind {
        /** Publication, slot, exported snapshot, pre-data schema. */
        PREPARE_DATABASE,
        /** One table, or one range of a big table. */
        COPY_TABLE,
        /** Indexes, constraints, triggers. */
        POST_DATA,
        SYNC_SEQUENCES,
        /** Drop the destination database before a restart. */
        WIPE_DATABASE,
        /** Drop the slot and publication on the source (delete, remove a database). */
        CLEANUP
    }

    public String kafkaKey() {
        return jobId + "/" + database;
    }
}
