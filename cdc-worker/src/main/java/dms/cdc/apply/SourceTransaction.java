package dms.cdc.apply;

import dms.common.sql.Lsn;
import java.time.Instant;
import java.util.List;

/**
 * One whole source transaction: its changes to published tables, in order, and where it
 * committed. The commit LSN is the end of its commit record (what the slot confirms, and what
 * native logical replication records as the origin's position); a transaction whose commit LSN
 * is at or before the applied position is already on the destination.
 *
 * @param drainMarker the drain marker carried by this transaction, if any (see dms.cdc.promote)
 */
public record SourceTransaction(long xid, Lsn commitLsn, Instant commitTime, List<RowChange> changes, String drainMarker) {}
