package dms.orchestrator.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.messages.CopyUnit;
import dms.common.messages.TableName;
import dms.orchestrator.dump.CopyUnitEntity;
import java.time.Instant;

/**
 * One copy unit of a database's full dump as decisions see it. Units move QUEUED → COPYING →
 * COPIED; a retryable failure queues it again after a backoff ({@code notBefore}), a last one
 * FAILS it ({@link CopyUnits}); one whose lease expires is sent again ({@link TaskLeases}).
 */
public final class UnitSnapshot {

    public final String database;
    public final int unitNo;
    public final String schemaName;
    public final String tableName;
    /** The unit as planned (a {@link CopyUnit} as JSON), sent as is in its copy task. */
    public final String unitJson;
    public final long estimatedBytes;
    public final long estimatedRows;
    /** The index work of the unit's table ({@link CopyUnit#estimatedBuildBytes()}): the heaviest go first. */
    public final long estimatedBuildBytes;
    public CopyUnitEntity.State state;
    public long runEpoch;
    public int attempts;
    public Long rowsCopied;
    public Long bytesCopied;
    public Long millis;
    public String error;
    /** The snapshot of the unit's latest dispatch; a report under another one is stale. */
    public String snapshotName;
    public String syncLsn;
    /** A failed unit queued again is not dispatched before this time (its backoff); null: at once. */
    public Instant notBefore;
    /** A COPYING unit is sent again (as its next attempt) if no word of its attempt comes before this time. */
    public Instant leaseUntil;
    public Instant updateTime;
    /** While COPYING in a bundle (several units in one task): the unit number of its first unit; null otherwise. */
    public Integer bundleOf;

    public UnitSnapshot(String database, int unitNo, String schemaName, String tableName, String unitJson, long estimatedBytes,
                        long estimatedRows, long estimatedBuildBytes, CopyUnitEntity.State state, long runEpoch, int attempts,
                        Long rowsCopied, Long bytesCopied, Long millis, String error, String snapshotName, String syncLsn, Instant notBefore, Instant updateTime) {
        this.database = database;
        this.unitNo = unitNo;
        this.schemaName = schemaName;
        this.tableName = tableName;
        this.unitJson = unitJson;
        this.estimatedBytes = estimatedBytes;
        this.estimatedRows = estimatedRows;
        this.estimatedBuildBytes = estimatedBuildBytes;
        this.state = state;
        this.runEpoch = runEpoch;
        this.attempts = attempts;
        this.rowsCopied = rowsCopied;
        this.bytesCopied = bytesCopied;
        this.millis = millis;
        this.error = error;
        this.snapshotName = snapshotName;
        this.syncLsn = syncLsn;
        this.notBefore = notBefore;
        this.updateTime = updateTime;
    }

    /** A unit of a new plan: queued in run {@code runEpoch}. */
    static UnitSnapshot planned(String database, CopyUnit u, long runEpoch, Instant now) {
        return new UnitSnapshot(database, u.unitNo(), u.schema(), u.table(), Json.write(u), u.estimatedBytes(), u.estimatedRows(),
                u.estimatedBuildBytes(), CopyUnitEntity.State.QUEUED, runEpoch, 0, null, null, null, null, null, null, null, now);
    }

    public TableName table() {
        return new TableName(schemaName, tableName);
    }

    public CopyUnit unit() {
        try {
            return Json.read(unitJson, CopyUnit.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged range of " + database + "#" + unitNo, e);
        }
    }

    /** The same unit with its lease as stored. */
    public UnitSnapshot leasedUntil(Instant until) {
        this.leaseUntil = until;
        return this;
    }

    /** The same unit with the bundle it is copied in as stored. */
    public UnitSnapshot inBundle(Integer leader) {
        this.bundleOf = leader;
        return this;
    }

    /** The copy task the unit is in flight in: its bundle's first unit, or itself. */
    int taskUnitNo() {
        return bundleOf == null ? unitNo : bundleOf;
    }

    UnitSnapshot copy() {
        return new UnitSnapshot(database, unitNo, schemaName, tableName, unitJson, estimatedBytes, estimatedRows, estimatedBuildBytes,
                state, runEpoch, attempts, rowsCopied, bytesCopied, millis, error, snapshotName, syncLsn, notBefore, updateTime)
                .leasedUntil(leaseUntil).inBundle(bundleOf);
    }
}
