package dms.orchestrator.store;

import dms.common.messages.DumpParallelism;
import dms.common.messages.RoleHandling;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;

@Entity
@Table(name = "migration_job")
public class MigrationJobEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    @Enumerated(EnumType.STRING)
    public JobState state;
    @Enumerated(EnumType.STRING)
    public JobPhase phase;
    @Column(name = "source_profile")
    public String sourceProfile;
    @Column(name = "destination_profile")
    public String destinationProfile;
    /** What the user asked for; empty = every database of the source. */
    @Column(name = "requested_databases")
    @Convert(converter = StringListConverter.class)
    public List<String> requestedDatabases;
    @Enumerated(EnumType.STRING)
    @Column(name = "dump_parallelism")
    public DumpParallelism dumpParallelism;
    /** What the job does with the roles the destination lacks; null: {@link RoleHandling#CREATE_MISSING}. */
    @Enumerated(EnumType.STRING)
    @Column(name = "roles")
    public RoleHandling roles;
    /** The user's consent that the job sets REPLICA IDENTITY FULL on the tables with no key and no identity. */
    @Column(name = "replica_identity_full")
    public boolean replicaIdentityFull;
    /** Replication groups each database's tables are split into when it is prepared (docs/cdc.md); 1: one slot. */
    @Column(name = "cdc_parallelism")
    public int cdcParallelism = 1;
    /** Grows on start, restart and resume; workers drop work of an older epoch. */
    @Column(name = "run_epoch")
    public long runEpoch;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_message")
    public String errorMessage;
    /** The job document's version on dms.job-state: readers keep the highest. */
    @Column(name = "doc_version")
    public long docVersion;
    /** Last sequence number given to an event of this job. */
    @Column(name = "event_sequence")
    public long eventSequence;
    /** The latest data check (a DataVerification as JSON), null before the first. */
    @Column(name = "verification")
    public String verificationJson;
    /** When the running promote gives up if a database has not finished its drain (dms.promote.drain-timeout). */
    @Column(name = "promote_deadline")
    public Instant promoteDeadline;
    @Column(name = "create_time")
    public Instant createTime;
    @Column(name = "update_time")
    public Instant updateTime;
    @Version
    public long version;

    public JobStatus status() {
        return JobStatus.of(state, phase);
    }

    public void setStatus(JobStatus status) {
        state = status.state();
        phase = status.phase();
    }

    /** The jobs (not deleted) whose source or destination is the profile. */
    public static List<MigrationJobEntity> usingProfile(String profileId) {
        return list("(sourceProfile = ?1 or destinationProfile = ?1) and state <> ?2", profileId, JobState.DELETED);
    }
}
