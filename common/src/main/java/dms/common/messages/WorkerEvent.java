package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.WorkerSignal;
import java.time.Instant;

/**
 * A worker's report on {@code dms.progress} (key = jobId) about one database of a job.
 * {@code signal} moves the job (see {@link dms.common.statemachine.JobStateMachine});
 * a report without a signal only updates progress. Reports from an older {@code runEpoch}
 * than the job's are dropped.
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
        String error) {

    public static WorkerEvent signal(String jobId, long runEpoch, String database, WorkerSignal signal, String worker) {
        return new WorkerEvent(java.util.UUID.randomUUID().toString(), jobId, runEpoch, database, signal, worker,
                Instant.now(), null, null, null, null, null, null, null, null, null, null);
    }

    public WorkerEvent withError(String message) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slotName, consistentLsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, message);
    }

    public WorkerEvent withSlot(String slot, String lsn) {
        return new WorkerEvent(eventId, jobId, runEpoch, database, signal, worker, time, slot, lsn,
                tablesTotal, tablesCopied, rowsCopied, bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error);
    }
}
