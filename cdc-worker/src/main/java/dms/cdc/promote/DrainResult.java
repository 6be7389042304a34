package dms.cdc.promote;

import dms.common.sql.Lsn;

/**
 * A finished drain.
 *
 * @param targetLsn the source's WAL position when the drain started
 * @param appliedLsn the applied position at the end: at or after the target
 */
public record DrainResult(Lsn targetLsn, Lsn appliedLsn) {}
