package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An edit of a job: only the fields present change. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPatch(String displayName, List<String> databases, DumpParallelism dumpParallelism) {
    public boolean isEmpty() {
        return displayName == null && databases == null && dumpParallelism == null;
    }
}
