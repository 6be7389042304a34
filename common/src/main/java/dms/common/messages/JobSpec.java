package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a client gives to create a job. An empty or absent {@code databases} list means
 * every non-template database of the source, resolved when the job starts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(
        String id,
        String displayName,
        String source,
        String destination,
        List<String> databases,
        DumpParallelism dumpParallelism,
        Boolean draft) {}
