package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Desired state of one CDC stream, on the compacted {@code dms.cdc-control} topic
 * (key = jobId/database). The cdc-worker instance that owns the key's partition runs it, and
 * watches the key's slot whatever the state: a key exists from the slot's creation on.
 * {@code drainDeadline} (DRAIN only): when the promote gives up if the drain has not finished
 * (the orchestrator's {@code dms.promote.drain-timeout} after {@code time}); the same instant
 * for whichever instance runs the stream. {@code roles}: the job's roles setting (absent: CREATE_MISSING): whether
 * promote gives the large objects it copies to their source owners, and what the tables created on the source during
 * CDC get (docs/cdc.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CdcControl(
        String jobId,
        String database,
        long runEpoch,
        Desired desired,
        String slotName,
        String publicationName,
        ConnectionProfile source,
        ConnectionProfile destination,
        Instant time,
        Instant drainDeadline,
        RoleHandling roles) {

    public CdcControl(String jobId, String database, long runEpoch, Desired desired, String slotName, String publicationName,
                      ConnectionProfile source, ConnectionProfile destination, Instant time, Instant drainDeadline) {
        this(jobId, database, runEpoch, desired, slotName, publicationName, source, destination, time, drainDeadline, null);
    }

    public enum Desired {
        /** Stream changes and apply them. */
        RUN,
        /** Halt apply; keep the slot. */
        STOP,
        /** Apply until lag is zero, then stop (promote). */
        DRAIN,
        /**
         * No stream yet: the database is in its full dump, its slot exists. The worker watches the
         * slot (invalidated? WAL retained) as it does for the other states.
         */
        WATCH
    }

    public static String key(String jobId, String database) {
        return jobId + "/" + database;
    }
}
