package dms.api.jobs;

import dms.common.statemachine.JobAction;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dms.api.openapi.ApiSchemas;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Bulk verbs, {@code POST /v1/migration-jobs:batchStop} with {@code {"jobIds": [...]}}: every job
 * must exist and share one status that allows the action. Each verb is a literal path (a
 * collection verb matches as one); all go through {@link JobActions#batch}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Migration jobs")
public class JobBatchResource {

    private static final String SUMMARY = "Bulk action on jobs that share one status (all or nothing)";

    @Inject
    JobActions actions;

    @POST
    @Path("migration-jobs:batchStart")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchStartMigrationJobs", summary = SUMMARY)
    public Response batchStart(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.START, body, by);
    }

    @POST
    @Path("migration-jobs:batchStop")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchStopMigrationJobs", summary = SUMMARY)
    public Response batchStop(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.STOP, body, by);
    }

    @POST
    @Path("migration-jobs:batchResume")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchResumeMigrationJobs", summary = SUMMARY)
    public Response batchResume(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.RESUME, body, by);
    }

    @POST
    @Path("migration-jobs:batchRestart")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchRestartMigrationJobs", summary = SUMMARY)
    public Response batchRestart(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.RESTART, body, by);
    }

    @POST
    @Path("migration-jobs:batchPromote")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchPromoteMigrationJobs", summary = SUMMARY)
    public Response batchPromote(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.PROMOTE, body, by);
    }

    @POST
    @Path("migration-jobs:batchVerify")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchVerifyMigrationJobs", summary = SUMMARY)
    public Response batchVerify(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.VERIFY, body, by);
    }

    @POST
    @Path("migration-jobs:batchDelete")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.BATCH_OPERATION)))
    @Operation(operationId = "batchDeleteMigrationJobs", summary = SUMMARY)
    public Response batchDelete(@NotNull BatchRequest body, @HeaderParam(JobResource.REQUESTED_BY) String by) {
        return actions.batch(JobAction.DELETE, body, by);
    }
}
