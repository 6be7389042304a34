package dms.orchestrator.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.ErrorInfo;
import dms.common.messages.JobEvent;
import dms.common.messages.Operation;
import dms.common.messages.PreflightReport;
import dms.common.messages.ProfileDatabases;
import dms.common.validation.CommandParser;
import dms.orchestrator.metrics.CommandMetrics;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.Operations;
import dms.orchestrator.store.StateWriter;
import dms.orchestrator.verify.Preflights;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Applies one command record: parse and validate, apply in one transaction with its
 * Operation, or record why not (error Operation, dead-letter queue, job event). The same
 * commandId twice is applied once: the second finds its Operation and does nothing.
 */
@ApplicationScoped
public class CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Inject
    StateWriter writer;
    @Inject
    Operations operations;
    @Inject
    DeadLetters deadLetters;
    @Inject
    JobEvents events;
    @Inject
    ProfileCommands profiles;
    @Inject
    JobCommands jobs;
    @Inject
    SourceDatabases sourceDatabases;
    @Inject
    Preflights preflights;
    @Inject
    SameServerCheck sameServer;
    @Inject
    DatabaseListing databaseListing;
    @Inject
    VerifyCommands verify;
    @Inject
    Retry retry;
    @Inject
    CommandMetrics metrics;

    public void handle(ConsumerRecord<String, String> record) {
        CommandParser.Result parsed = CommandParser.parse(record.value());
        if (!parsed.ok()) {
            String name = operationNameFor(record, parsed.command());
            LOG.warnf("Command record %s/%d/%d refused: %s", record.topic(), record.partition(), record.offset(), parsed.reason());
            retry.run("dead-letter " + name, () -> writer.write(() -> {
                if (!operations.exists(name)) {
                    operations.failUnparsed(name, ErrorInfo.of(ErrorInfo.INVALID_ARGUMENT, parsed.reason()));
                    deadLetters.add(record, parsed.reason(), name);
                }
            }));
            metrics.count(parsed.command() == null ? null : parsed.command().type(), "invalid");
            return;
        }
        Command command = parsed.command();
        try {
            // Talks to the servers outside the write lock: it may take seconds.
            sameServer.check(command);
            Map<String, java.util.List<String>> resolved = sourceDatabases.resolveFor(command);
            Map<String, PreflightReport> preflight = preflights.runFor(command, resolved);
            ProfileDatabases listing = databaseListing.runFor(command);
            String result = retry.run("command " + command.commandId(), () -> writer.write(() -> {
                if (operations.exists(Operation.nameOf(command.commandId()))) {
                    return "duplicate";
                }
                Object response = dispatch(command, resolved, preflight, listing);
                operations.succeed(command, response);
                return "ok";
            }));
            metrics.count(command.type(), result);
        } catch (CommandRejected rejected) {
            reject(record, command, rejected);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Command %s (%s) could not be applied", command.commandId(), command.type());
            reject(record, command, CommandRejected.internal("the orchestrator could not apply the command: " + e));
        }
    }

    private Object dispatch(Command c, Map<String, java.util.List<String>> resolvedDatabases, Map<String, PreflightReport> preflight,
                            ProfileDatabases listing) {
        return switch (c.type()) {
            case CREATE_CONNECTION_PROFILE -> profiles.create(c);
            case UPDATE_CONNECTION_PROFILE -> profiles.update(c);
            case DELETE_CONNECTION_PROFILE -> profiles.delete(c);
            case CREATE_JOB -> jobs.create(c);
            case UPDATE_JOB -> jobs.update(c, resolvedDatabases);
            case VERIFY -> verify.verify(c, preflight);
            case LIST_DATABASES -> listing;
            default -> jobs.act(c, resolvedDatabases, preflight);
        };
    }

    private void reject(ConsumerRecord<String, String> record, Command command, CommandRejected rejected) {
        ErrorInfo error = rejected.error();
        String name = Operation.nameOf(command.commandId());
        LOG.infof("Command %s (%s) rejected: %s", command.commandId(), command.type(), error.message());
        retry.run("reject " + name, () -> writer.write(() -> {
            if (operations.exists(name)) {
                return;
            }
            operations.fail(command, error);
            if (rejected.deadLetter()) {
                deadLetters.add(record, error.code() + ": " + error.message(), name);
            }
            for (String jobId : command.targetJobIds()) {
                MigrationJobEntity job = MigrationJobEntity.findById(jobId);
                if (job != null) {
                    events.record(job, JobEvent.Type.COMMAND_REJECTED, job.status(), null, command.commandId(), null,
                            command.type() + " rejected: " + error.message());
                }
            }
        }));
        metrics.count(command.type(), rejected.deadLetter() ? "dead-lettered" : "rejected");
    }

    /** operations/&lt;commandId&gt; when the record names a usable one, else one made from its offset. */
    private static String operationNameFor(ConsumerRecord<String, String> record, Command parsed) {
        String commandId = parsed != null ? parsed.commandId() : null;
        if (commandId == null && record.value() != null) {
            try {
                JsonNode node = Json.MAPPER.readTree(record.value());
                if (node != null && node.path("commandId").isTextual()) {
                    commandId = node.path("commandId").asText();
                }
            } catch (Exception ignored) {
                // not JSON: named after its offset below
            }
        }
        if (commandId != null && SAFE_ID.matcher(commandId).matches()) {
            return Operation.nameOf(commandId);
        }
        return Operation.nameOf("dlq-" + record.partition() + "-" + record.offset());
    }
}
