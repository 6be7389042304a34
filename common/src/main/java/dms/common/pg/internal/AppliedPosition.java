package dms.common.pg.internal;

import dms.common.sql.Lsn;
import java.time.Instant;

/**
 * Where the destination is: the commit LSN of the last source transaction applied, when it
 * committed on the source, and running counts ({@code unmatched}: updates and deletes that found no
 * row on the destination).
 */
public record AppliedPosition(Lsn commitLsn, Instant sourceCommitTime, Instant appliedAt, long transactions, long changes,
                              long unmatched) {

    public static final AppliedPosition NONE = new AppliedPosition(Lsn.ZERO, null, null, 0, 0, 0);

    public AppliedPosition(Lsn commitLsn, Instant sourceCommitTime, Instant appliedAt, long transactions, long changes) {
        this(commitLsn, sourceCommitTime, appliedAt, transactions, changes, 0);
    }

    /** True when the transaction that committed at {@code commitLsn} is already applied. */
    public boolean covers(Lsn commitLsn) {
        return commitLsn.compareTo(this.commitLsn) <= 0;
    }
}
