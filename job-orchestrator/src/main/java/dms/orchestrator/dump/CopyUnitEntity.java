package dms.orchestrator.dump;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One copy task of a database's full dump and its outcome: the catalog that makes the dump resumable. */
@Entity
@Table(name = "copy_unit")
@IdClass(CopyUnitEntity.Key.class)
public class CopyUnitEntity extends PanacheEntityBase {

    public enum State { QUEUED, COPYING, COPIED, FAILED }

    @Id
    @Column(name = "job_id")
    public String jobId;
    @Id
    public String database;
    @Id
    @Column(name = "unit_no")
    public int unitNo;
    @Column(name = "schema_name")
    public String schemaName;
    @Column(name = "table_name")
    public String tableName;
    @Column(name = "unit_json")
    public String unitJson;
    @Column(name = "estimated_bytes")
    public long estimatedBytes;
    @Column(name = "estimated_rows")
    public long estimatedRows;
    @Column(name = "estimated_build_bytes")
    public long estimatedBuildBytes;
    @Enumerated(EnumType.STRING)
    public State state;
    @Column(name = "run_epoch")
    public long runEpoch;
    public int attempts;
    @Column(name = "rows_copied")
    public Long rowsCopied;
    @Column(name = "bytes_copied")
    public Long bytesCopied;
    public Long millis;
    public String error;
    /** The snapshot of the unit's latest dispatch; a report under another one is stale. */
    @Column(name = "snapshot_name")
    public String snapshotName;
    @Column(name = "sync_lsn")
    public String syncLsn;
    /** A failed unit queued again is not dispatched before this time (its backoff); null: at once. */
    @Column(name = "not_before")
    public Instant notBefore;
    /** A COPYING unit is sent again if no report or heartbeat of its attempt comes before this time. */
    @Column(name = "lease_until")
    public Instant leaseUntil;
    @Column(name = "update_time")
    public Instant updateTime;
    /** While COPYING in a bundle: the unit number of the bundle's first unit (the task's); null otherwise. */
    @Column(name = "bundle_of")
    public Integer bundleOf;

    public static final class Key implements Serializable {
        public String jobId;
        public String database;
        public int unitNo;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(jobId, k.jobId) && Objects.equals(database, k.database) && unitNo == k.unitNo;
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, database, unitNo);
        }
    }
}
