package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.WorkerSignal;
import java.time.Instant;
import java.util.List;

/**
 * One database of a job as the job document shows it: its own phase, the last signal its
 * worker sent in the current run epoch, and its progress counters. During the full dump,
 * {@code percentCopied} and {@code etaSeconds} come from the bytes copied against the
 * planner's estimate and the rate so far; {@code tables} shows each table's copy (at most
 * {@link #MAX_TABLES_LISTED}: those not copied yet first).
 *
 * <p>From the slot's creation on: {@code retainedWalBytes}, the source's
 * {@code maxSlotWalKeepSizeBytes} (-1: unlimited) and {@code retainedWalWarning} while the
 * retained WAL is over the warning level. During CDC: {@code appliedLsn}, and while the stream
 * keeps ending without applying anything, {@code cdcRetries} and its {@code lastError};
 * {@code unmatchedChanges}: updates and deletes that found no row on the destination (a divergence).
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
        Instant updateTime,
        Long bytesEstimated,
        Double percentCopied,
        Long etaSeconds,
        List<String> tablesWithoutReplicaIdentity,
        List<TableProgress> tables,
        String appliedLsn,
        Long maxSlotWalKeepSizeBytes,
        Boolean retainedWalWarning,
        Integer cdcRetries,
        String lastError,
        Long unmatchedChanges) {

    public static final int MAX_TABLES_LISTED = 100;

    public static DatabaseProgress initial(String database) {
        return new DatabaseProgress(database, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The full dump's counters, from the orchestrator's catalog of copy units; {@code perTable} lists
     * the tables not copied yet first (it is bounded, so that the document stays small).
     */
    public DatabaseProgress withDump(long tables, long tablesDone, long rows, long bytes, long bytesTotal, Double percent,
                                     Long eta, List<String> withoutIdentity, List<TableProgress> perTable) {
        return new DatabaseProgress(database, phase, lastSignal, slotName, consistentLsn, tables, tablesDone, rows, bytes,
                lagBytes, lagSeconds, retainedWalBytes, error, updateTime, bytesTotal, percent, eta, withoutIdentity, perTable,
                appliedLsn, maxSlotWalKeepSizeBytes, retainedWalWarning, cdcRetries, lastError, unmatchedChanges);
    }

    /** The stream's lag is not known (no worker reports it). */
    public DatabaseProgress withoutLag() {
        return new DatabaseProgress(database, phase, lastSignal, slotName, consistentLsn, tablesTotal, tablesCopied, rowsCopied,
                bytesCopied, null, null, retainedWalBytes, error, updateTime, bytesEstimated, percentCopied, etaSeconds,
                tablesWithoutReplicaIdentity, tables, appliedLsn, maxSlotWalKeepSizeBytes, retainedWalWarning, cdcRetries, lastError, unmatchedChanges);
    }

    /** Whether the retained WAL is over the warning level now (null: not). */
    public DatabaseProgress withRetainedWalWarning(Boolean warning) {
        return new DatabaseProgress(database, phase, lastSignal, slotName, consistentLsn, tablesTotal, tablesCopied, rowsCopied,
                bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error, updateTime, bytesEstimated, percentCopied, etaSeconds,
                tablesWithoutReplicaIdentity, tables, appliedLsn, maxSlotWalKeepSizeBytes, warning, cdcRetries, lastError, unmatchedChanges);
    }

    /** How many times the stream ended since it last applied anything, and why it last did (nulls: it is well). */
    public DatabaseProgress withCdcRetries(Integer retries, String lastStreamError) {
        return new DatabaseProgress(database, phase, lastSignal, slotName, consistentLsn, tablesTotal, tablesCopied, rowsCopied,
                bytesCopied, lagBytes, lagSeconds, retainedWalBytes, error, updateTime, bytesEstimated, percentCopied, etaSeconds,
                tablesWithoutReplicaIdentity, tables, appliedLsn, maxSlotWalKeepSizeBytes, retainedWalWarning, retries, lastStreamError, unmatchedChanges);
    }
}
