package dms.cdc.lag;

import dms.common.sql.Lsn;
import java.time.Instant;

/**
 * How far the destination is behind the source, at one moment.
 *
 * @param lagBytes source WAL position minus applied position (0 when nothing is behind; it also counts WAL
 *     of other tables and databases written since the last change applied, so it reads 0 only right after a
 *     drain or a change)
 * @param lastCommitAgeSeconds now minus the source commit time of the last applied transaction (-1 if none)
 * @param slotRetainedBytes WAL the source keeps for the slot ({@code pg_current_wal_lsn() - restart_lsn}; -1 if no slot)
 */
public record LagSnapshot(Instant takenAt, Lsn sourceLsn, Lsn appliedLsn, long lagBytes, double lastCommitAgeSeconds,
                          Lsn slotConfirmedFlushLsn, long slotRetainedBytes) {}
