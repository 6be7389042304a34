package dms.orchestrator.store;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ErrorInfo;
import dms.common.messages.Operation;
import dms.orchestrator.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/** Records the result of a command and publishes it on dms.operations. */
@ApplicationScoped
public class Operations {

    @Inject
    Outbox outbox;

    @Inject
    Topics topics;

    public boolean exists(String name) {
        return OperationEntity.findById(name) != null;
    }

    public Operation succeed(Command command, Object response) {
        return save(Operation.nameOf(command.commandId()), command.type(), target(command), command.targetJobIds(),
                command.requestedBy(), command.requestTime(), null, response == null ? null : Json.tree(response));
    }

    public Operation fail(Command command, ErrorInfo error) {
        return save(Operation.nameOf(command.commandId()), command.type(), target(command), command.targetJobIds(),
                command.requestedBy(), command.requestTime(), error, null);
    }

    /** A record that is not a command at all still gets an operation, named after its commandId or its offset. */
    public Operation failUnparsed(String name, ErrorInfo error) {
        return save(name, null, null, null, null, null, error, null);
    }

    /**
     * Publishes {@code op} in place of the Operation of the same name (one Kafka refused): the
     * control database keeps what was published. The row stays, so the command stays applied once.
     */
    public void replace(Operation op) {
        String document = Json.write(op);
        OperationEntity row = OperationEntity.findById(op.name());
        if (row != null) {
            row.document = document;
        }
        outbox.add(topics.operations(), op.name(), document);
    }

    private Operation save(String name, CommandType type, String target, List<String> targets, String requestedBy,
                           Instant requestTime, ErrorInfo error, JsonNode response) {
        Instant now = Instant.now();
        Operation op = new Operation(name, true, error, response, new Operation.OperationMetadata(
                type, target, targets != null && targets.size() > 1 ? targets : null, requestedBy,
                requestTime == null ? now : requestTime, now));
        OperationEntity row = new OperationEntity();
        row.name = name;
        row.commandType = type == null ? null : type.name();
        row.target = target;
        row.done = true;
        row.document = Json.write(op);
        row.createTime = now;
        row.persist();
        outbox.add(topics.operations(), name, row.document);
        return op;
    }

    private static String target(Command c) {
        if (c.type() == CommandType.CREATE_CONNECTION_PROFILE) {
            return c.connectionProfile() == null ? null : "connectionProfiles/" + c.connectionProfile().id();
        }
        if (c.type() == CommandType.DELETE_CONNECTION_PROFILE || c.type() == CommandType.UPDATE_CONNECTION_PROFILE
                || c.type() == CommandType.LIST_DATABASES) {
            return "connectionProfiles/" + c.profileId();
        }
        if (c.type() == CommandType.CREATE_JOB) {
            return c.job() == null ? null : "migrationJobs/" + c.job().id();
        }
        return c.isBatch() ? "migrationJobs" : "migrationJobs/" + c.jobId();
    }
}
