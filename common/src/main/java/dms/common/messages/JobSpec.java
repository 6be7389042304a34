package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a client gives to create a job. An empty or absent {@code databases} list means
 * every non-template database of the source, resolved when the job starts. {@code roles}: what
 * the job does with roles the destination lacks (absent: {@link RoleHandling#CREATE_MISSING}).
 * {@code replicaIdentityFull}: the user's consent that the job sets REPLICA IDENTITY FULL at start on
 * the source tables that have no primary key and no replica identity (absent: false).
 * {@code cdcParallelism}: how many replication groups (publication, slot, stream) each database's tables are
 * split into for CDC, 1 to 8 (absent: 1, one slot per database: docs/cdc.md#parallel-cdc-cdcparallelism).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(
        String id,
        String displayName,
        String source,
        String destination,
        List<String> databases,
        DumpParallelism dumpParallelism,
        Boolean draft,
        RoleHandling roles,
        Boolean replicaIdentityFull,
        Integer cdcParallelism) {

    /** A spec without the roles setting (the default). */
    public JobSpec(String id, String displayName, String source, String destination, List<String> databases,
                   DumpParallelism dumpParallelism, Boolean draft) {
        this(id, displayName, source, destination, databases, dumpParallelism, draft, null);
    }

    /** A spec without the replicaIdentityFull consent (the default: none). */
    public JobSpec(String id, String displayName, String source, String destination, List<String> databases,
                   DumpParallelism dumpParallelism, Boolean draft, RoleHandling roles) {
        this(id, displayName, source, destination, databases, dumpParallelism, draft, roles, null);
    }

    /** A spec without cdcParallelism (the default: 1). */
    public JobSpec(String id, String displayName, String source, String destination, List<String> databases,
                   DumpParallelism dumpParallelism, Boolean draft, RoleHandling roles, Boolean replicaIdentityFull) {
        this(id, displayName, source, destination, databases, dumpParallelism, draft, roles, replicaIdentityFull, null);
    }
}
