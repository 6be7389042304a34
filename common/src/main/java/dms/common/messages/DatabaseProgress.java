package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.WorkerSignal;
import java.time.Instant;

/**
 * One database of a job as the job document shows it: its own phase, the last signal its
 * worker sent in the current run epoch, and its progress counters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseProgress(
        String database,
        JobPhase phase,
        WorkerSignal lastSignal,
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
        Instant updateTime) {

    public static DatabaseProgress initial(String database) {
        return new DatabaseProgress(database, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
