package dms.api.jobs;

import dms.api.commands.CommandGateway;
import dms.api.problems.BodyFields;
import dms.api.problems.Problems;
import dms.api.projection.JobView;
import dms.api.projection.ProjectionStatus;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import dms.common.validation.CommandValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one path of every action on existing jobs (edit, delete, the six verbs, the seven bulk
 * verbs): check the projection, validate, check the state machine, publish, wait.
 */
@ApplicationScoped
public class JobActions {

    @Inject
    ProjectionStatus projection;
    @Inject
    JobView jobs;
    @Inject
    CommandGateway gateway;

    /** An action on one job; {@code fill} adds the command's own fields (patch, databases ...). */
    public Response single(String jobId, JobAction action, String requestedBy, UnaryOperator<Command.Builder> fill) {
        projection.requireRebuilt();
        MigrationJob job = jobs.findLive(jobId).orElseThrow(() -> Problems.notFound("no migration job " + jobId));
        Command command = fill.apply(Command.builder(CommandType.of(action)).jobId(jobId)
                .requestedBy(CommandGateway.requester(requestedBy))).build();
        BodyFields.requireNone(CommandValidator.validate(command), "patch");
        JobGuard.requireAllowed(job, action);
        return gateway.submit(command);
    }

    /** A bulk action: one command with every job id, applied all-or-nothing by the orchestrator. */
    public Response batch(JobAction action, BatchRequest body, String requestedBy) {
        List<String> jobIds = body.jobIds() == null ? List.of() : body.jobIds();
        if (body.purgeDestination() != null && action != JobAction.DELETE) {
            throw Problems.invalid("purgeDestination", "only batchDelete takes purgeDestination");
        }
        if (body.skipValidation() != null && action != JobAction.START && action != JobAction.RESTART) {
            throw Problems.invalid("skipValidation", "only batchStart and batchRestart take skipValidation");
        }
        Command command = Command.builder(CommandType.of(action)).jobIds(jobIds).purgeDestination(body.purgeDestination())
                .skipValidation(body.skipValidation()).requestedBy(CommandGateway.requester(requestedBy)).build();
        BodyFields.requireNone(CommandValidator.validate(command), null);
        projection.requireRebuilt();
        JobGuard.requireBatch(jobIds, jobs::findLive, action);
        return gateway.submit(command);
    }
}
