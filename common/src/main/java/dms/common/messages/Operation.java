package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The result of a command, as a Google long-running Operation: {@code name} is
 * {@code operations/<commandId>}; when {@code done}, exactly one of {@code error} and
 * {@code response} (the resource after the change) is set. Value on the compacted
 * {@code dms.operations} topic, key = name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Operation(
        String name,
        boolean done,
        ErrorInfo error,
        JsonNode response,
        OperationMetadata metadata) {

    public static final String PREFIX = "operations/";

    public static String nameOf(String commandId) {
        return PREFIX + commandId;
    }

    /** What the operation is about and when it ran. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OperationMetadata(
            CommandType type,
            String target,
            java.util.List<String> targets,
            String requestedBy,
            Instant createTime,
            Instant endTime) {}
}
