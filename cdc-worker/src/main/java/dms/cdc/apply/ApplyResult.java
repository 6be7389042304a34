package dms.cdc.apply;

import dms.common.pg.internal.AppliedPosition;

/**
 * What one destination transaction did.
 *
 * @param skippedTransactions transactions already on the destination (commit LSN at or before the stored position)
 * @param skippedChanges changes to tables whose sync LSN is at or after their transaction's commit LSN
 * @param unmatchedChanges updates and deletes that found no row on the destination
 */
public record ApplyResult(AppliedPosition position, int appliedTransactions, int skippedTransactions, long appliedChanges,
                          long skippedChanges, long unmatchedChanges) {}
