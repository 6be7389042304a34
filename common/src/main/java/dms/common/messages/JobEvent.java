package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import java.time.Instant;

/**
 * One entry of a job's audit trail ({@code dms.job-events}, key = jobId): a status change,
 * a rejected command, a worker report. {@code sequence} orders the events of one job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(
        long sequence,
        String jobId,
        Instant time,
        Type type,
        JobState fromState,
        JobPhase fromPhase,
        JobState toState,
        JobPhase toPhase,
        String commandId,
        String database,
        String message) {

    public enum Type {
        CREATED, UPDATED, STATUS_CHANGED, COMMAND_REJECTED, WORKER_REPORT, DELETED,
        /** Verify before start ran: the message lists the findings (the Operation's response has them all). */
        PRE_FLIGHT,
        /** A data check began (verify from CDC on); its result is in the job's {@code verification}. */
        VERIFY_STARTED,
        /** A data check found every table equal (some may be skipped: see the message). */
        VERIFIED,
        /** A table differs (one event per table), and the summary of a check that found any. */
        DIFFERS,
        /** A data check ended without comparing every database (none differs in what it compared): the message says which and why. */
        VERIFY_INCOMPLETE,
        /** A database's slot retains more WAL than the warning level (once per crossing); the message says what to do. */
        RETAINED_WAL_WARNING,
        /** A table created on the source during CDC was created and copied on the destination, and is replicated. */
        TABLE_ADDED,
        /** A table created on the source during CDC cannot be replicated (no key or replica identity, unlogged): the message says why. */
        TABLE_NOT_TAKEN
    }
}
