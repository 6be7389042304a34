package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The full job document: the value on the compacted {@code dms.job-state} topic (key = id)
 * and the body of REST reads. {@code version} grows with every change, so a reader keeps the
 * newest it has seen. {@code databases} is what the user asked for (empty = all databases);
 * {@code databaseProgress} lists the databases really migrated, each with its progress;
 * {@code verification} is the latest data check (verify from CDC on), absent before one;
 * {@code roles} what the job does with the roles its objects name (absent: {@link RoleHandling#CREATE_MISSING});
 * {@code replicaIdentityFull} whether the user consented that the job sets REPLICA IDENTITY FULL on the source tables
 * that have no primary key and no replica identity, when it prepares their database (absent: false);
 * {@code cdcParallelism} into how many replication groups each database's tables are split for CDC (absent: 1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationJob(
        String id,
        String displayName,
        JobState state,
        JobPhase phase,
        String source,
        String destination,
        List<String> databases,
        DumpParallelism dumpParallelism,
        List<DatabaseProgress> databaseProgress,
        List<JobAction> allowedActions,
        ErrorInfo error,
        long runEpoch,
        long version,
        Instant createTime,
        Instant updateTime,
        DataVerification verification,
        RoleHandling roles,
        Boolean replicaIdentityFull,
        Integer cdcParallelism) {

    /** A document without the replicaIdentityFull consent. */
    public MigrationJob(String id, String displayName, JobState state, JobPhase phase, String source, String destination,
                        List<String> databases, DumpParallelism dumpParallelism, List<DatabaseProgress> databaseProgress,
                        List<JobAction> allowedActions, ErrorInfo error, long runEpoch, long version, Instant createTime,
                        Instant updateTime, DataVerification verification, RoleHandling roles) {
        this(id, displayName, state, phase, source, destination, databases, dumpParallelism, databaseProgress, allowedActions,
                error, runEpoch, version, createTime, updateTime, verification, roles, null);
    }

    /** A document without cdcParallelism (1). */
    public MigrationJob(String id, String displayName, JobState state, JobPhase phase, String source, String destination,
                        List<String> databases, DumpParallelism dumpParallelism, List<DatabaseProgress> databaseProgress,
                        List<JobAction> allowedActions, ErrorInfo error, long runEpoch, long version, Instant createTime,
                        Instant updateTime, DataVerification verification, RoleHandling roles, Boolean replicaIdentityFull) {
        this(id, displayName, state, phase, source, destination, databases, dumpParallelism, databaseProgress, allowedActions,
                error, runEpoch, version, createTime, updateTime, verification, roles, replicaIdentityFull, null);
    }
}
