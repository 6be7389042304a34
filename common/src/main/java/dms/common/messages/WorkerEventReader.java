package dms.common.messages;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads a {@link WorkerEvent} as the record its {@code kind} names. A report written before {@code kind} existed (one
 * flat record with every field optional) is read by the fields it has, so that reports on the topic during an upgrade
 * are not lost.
 */
public final class WorkerEventReader extends JsonDeserializer<WorkerEvent> {

    @Override
    public WorkerEvent deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
        JsonNode node = parser.readValueAsTree();
        if (node == null || !node.isObject()) {
            return ctx.reportInputMismatch(WorkerEvent.class, "a worker report is a JSON object");
        }
        WorkerEvent.Kind kind;
        try {
            kind = node.hasNonNull("kind") ? WorkerEvent.Kind.valueOf(node.get("kind").asText()) : kindOfUntyped(node);
        } catch (IllegalArgumentException e) {
            return ctx.reportInputMismatch(WorkerEvent.class, "unknown worker report kind %s", node.get("kind"));
        }
        return parser.getCodec().treeToValue(node, WorkerEvent.RECORDS.get(kind));
    }

    /** The kind of a report written without one, by what it carries. */
    static WorkerEvent.Kind kindOfUntyped(JsonNode n) {
        if (n.hasNonNull("unit")) {
            return WorkerEvent.Kind.UNIT_DONE;
        }
        if (n.hasNonNull("dataCheck")) {
            return WorkerEvent.Kind.DATA_CHECK;
        }
        if (n.hasNonNull("tableAdded")) {
            return WorkerEvent.Kind.TABLE_ADDED;
        }
        if (n.hasNonNull("tableNotTaken")) {
            return WorkerEvent.Kind.TABLE_NOT_TAKEN;
        }
        String signal = n.path("signal").asText(null);
        if ("DUMP_STARTED".equals(signal)) {
            return WorkerEvent.Kind.DUMP_STARTED;
        }
        if ("RESUMED".equals(signal) && n.hasNonNull("snapshotName")) {
            return WorkerEvent.Kind.SNAPSHOT_TAKEN;
        }
        if (signal != null) {
            return WorkerEvent.Kind.SIGNAL;
        }
        if (n.hasNonNull("error")) {
            return WorkerEvent.Kind.STREAM_TROUBLE;
        }
        boolean progress = n.hasNonNull("lagBytes") || n.hasNonNull("lagSeconds") || n.hasNonNull("retainedWalBytes")
                || n.hasNonNull("appliedLsn") || n.hasNonNull("maxSlotWalKeepSizeBytes") || n.hasNonNull("unmatchedChanges");
        return n.hasNonNull("task") && !progress ? WorkerEvent.Kind.HEARTBEAT : WorkerEvent.Kind.STREAM_PROGRESS;
    }
}
