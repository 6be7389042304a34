package dms.orchestrator.outbox;

import dms.common.json.Json;
import dms.common.messages.ErrorInfo;
import dms.common.messages.Operation;
import java.util.Map;

/**
 * Stands in for an Operation Kafka refused as too large: the same name and metadata, an
 * {@code INTERNAL} error instead of the response. Whoever waits on the command (the API, a
 * client polling the operation) gets an answer instead of {@code done: false} for ever; the
 * command itself was applied (or refused) as the original said.
 */
public final class TooLargeOperation {

    private TooLargeOperation() {}

    public static Operation replacing(String name, byte[] original, int originalBytes, String reason) {
        Operation.OperationMetadata metadata = null;
        boolean failed = false;
        try {
            Operation op = Json.MAPPER.readValue(original, Operation.class);
            metadata = op.metadata();
            failed = op.error() != null;
        } catch (Exception e) {
            // Not readable: the name alone still answers the waiting client.
        }
        String message = "the command was " + (failed ? "refused" : "applied") + ", but its Operation (" + originalBytes
                + " bytes) is larger than Kafka's message limit and was not published (" + reason + "); "
                + (failed ? "send it again with fewer jobs to see why" : "read the jobs or the profile it names to see them as it left them");
        return new Operation(name, true, new ErrorInfo(ErrorInfo.INTERNAL, message, Map.of("operationBytes", originalBytes)),
                null, metadata);
    }
}
