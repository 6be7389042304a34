package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An edit of a job: only the fields present change. {@code cdcParallelism} only before the job starts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPatch(String displayName, List<String> databases, DumpParallelism dumpParallelism, RoleHandling roles,
                       Boolean replicaIdentityFull, Integer cdcParallelism) {

    /** An edit that leaves the roles setting as it is. */
    public JobPatch(String displayName, List<String> databases, DumpParallelism dumpParallelism) {
        this(displayName, databases, dumpParallelism, null);
    }

    /** An edit that leaves the replicaIdentityFull consent as it is. */
    public JobPatch(String displayName, List<String> databases, DumpParallelism dumpParallelism, RoleHandling roles) {
        this(displayName, databases, dumpParallelism, roles, null);
    }

    /** An edit that leaves cdcParallelism as it is. */
    public JobPatch(String displayName, List<String> databases, DumpParallelism dumpParallelism, RoleHandling roles,
                    Boolean replicaIdentityFull) {
        this(displayName, databases, dumpParallelism, roles, replicaIdentityFull, null);
    }

    public boolean isEmpty() {
        return displayName == null && databases == null && dumpParallelism == null && roles == null && replicaIdentityFull == null
                && cdcParallelism == null;
    }
}
