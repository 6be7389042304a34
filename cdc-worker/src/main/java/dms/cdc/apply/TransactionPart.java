package dms.cdc.apply;

import java.util.List;

/**
 * The next changes of a source transaction that is still streaming in, applied before its END arrives
 * (docs/data-path.md, rule 4): a transaction of millions of rows is applied part by part into one open
 * destination transaction, which commits with the position only at the transaction's own END. Only changes
 * whose fate does not depend on the commit LSN go into a part ({@code dms.cdc.stream.TransactionAssembler}
 * decides which): they are applied whatever that commit LSN turns out to be.
 */
public record TransactionPart(long xid, List<RowChange> changes) {}
