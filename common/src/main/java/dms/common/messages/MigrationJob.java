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
 * that have no primary key and no replica identity, when it prepares their database (absent: false).
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
        Boolean replicaIdentityFull) {

    /** A document without the replicaIdentityFull consent. */
    public MigrationJob(String id, String displayName, JobState state, JobPhase phase, String source, String destination,
                        List<String> databases, DumpParallelism dumpParallelism, List<DatabaseProgress> databaseProgress,
                        List<JobAction> allowedActions, ErrorInfo error, long runEpoch, long version, Instant createTime,
                        Instant updateTime, DataVerification verification, RoleHandling roles) {
        this(id, displayName, state, phase, source, destination, databases, dumpParallelism, databaseProgress, allowedActions,
                error, runEpoch, version, createTime, updateTime, verification, roles, null);
    }
}
