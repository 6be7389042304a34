package dms.orchestrator.store;

import dms.common.json.Json;
import dms.common.messages.DatabaseProgress;
import dms.common.messages.DumpTask;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.WorkerSignal;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One database a job migrates: the last signal its worker sent and its progress (JSON). */
@Entity
@Table(name = "job_database")
@IdClass(JobDatabaseEntity.Key.class)
public class JobDatabaseEntity extends PanacheEntityBase {
    @Id
    @Column(name = "job_id")
    public String jobId;
    @Id
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(name = "last_signal")
    public WorkerSignal lastSignal;
    /** The run epoch {@link #lastSignal} belongs to: a signal of an older run does not count. */
    @Column(name = "signal_epoch")
    public Long signalEpoch;
    @Column(name = "progress_json")
    public String progressJson;
    /** The exported snapshot the database's copies import now, null while a new one is awaited. */
    @Column(name = "snapshot_name")
    public String snapshotName;
    /** That snapshot's consistent LSN: the sync LSN of the tables copied under it. */
    @Column(name = "sync_lsn")
    public String syncLsn;
    @Column(name = "snapshots_lost")
    public int snapshotsLost;
    @Column(name = "tables_without_identity")
    @jakarta.persistence.Convert(converter = StringListConverter.class)
    public List<String> tablesWithoutIdentity;
    /** The database task in flight under a lease (null: none), its attempt number and lease, and its purge flag. */
    @Enumerated(EnumType.STRING)
    @Column(name = "task_kind")
    public DumpTask.Kind taskKind;
    @Column(name = "task_attempt")
    public int taskAttempt;
    @Column(name = "task_lease_until")
    public Instant taskLeaseUntil;
    @Column(name = "task_purge")
    public Boolean taskPurge;
    /** The data check's VERIFY_DATA task of this database: its attempt, and its lease (null: none in flight). */
    @Column(name = "verify_attempt")
    public int verifyAttempt;
    @Column(name = "verify_lease_until")
    public Instant verifyLeaseUntil;
    @Version
    public long version;

    /**
     * The database's own phase: FULL_DUMP from its plan, CDC once its dump is complete (null before
     * its plan). A job's databases may be in different phases: one added to a job in CDC is dumped.
     */
    public JobPhase phase() {
        return JobDocuments.progress(this).phase();
    }

    /** Whether the database's last signal belongs to the job's current run. */
    public boolean signalledInRun(long runEpoch) {
        return lastSignal != null && signalEpoch != null && signalEpoch == runEpoch;
    }

    /** A new database of the job, nothing done yet, persisted. */
    public static JobDatabaseEntity createFor(String jobId, String name) {
        JobDatabaseEntity db = new JobDatabaseEntity();
        db.jobId = jobId;
        db.name = name;
        db.progressJson = Json.write(DatabaseProgress.initial(name));
        db.persist();
        return db;
    }

    /** The job's database of that name, null if the job has none. */
    public static JobDatabaseEntity of(String jobId, String name) {
        return find("jobId = ?1 and name = ?2", jobId, name).firstResult();
    }

    public static List<JobDatabaseEntity> ofJob(String jobId) {
        return list("jobId = ?1 order by name", jobId);
    }

    public static final class Key implements Serializable {
        public String jobId;
        public String name;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(jobId, k.jobId) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, name);
        }
    }
}
