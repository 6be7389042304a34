package dms.api.jobs;

import dms.api.commands.CommandGateway;
import dms.api.paging.Page;
import dms.api.problems.BodyFields;
import dms.api.problems.Problems;
import dms.api.projection.EventView;
import dms.api.projection.JobView;
import dms.api.projection.ProfileView;
import dms.api.projection.ProjectionStatus;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.DumpParallelism;
import dms.common.messages.RoleHandling;
import dms.common.messages.JobEvent;
import dms.common.messages.JobPatch;
import dms.common.messages.JobSpec;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobState;
import dms.common.validation.CommandValidator;
import dms.common.validation.FieldError;
import dms.common.validation.ResourceIds;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import dms.api.openapi.ApiSchemas;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Migration jobs: create, read, edit, delete, the custom verbs on one job, and the audit trail. */
@Path("/v1/migration-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Migration jobs")
public class JobResource {

    static final String REQUESTED_BY = "X-Requested-By";

    @Inject
    ProjectionStatus projection;
    @Inject
    JobView jobs;
    @Inject
    EventView events;
    @Inject
    ProfileView profiles;
    @Inject
    JobActions actions;
    @Inject
    CommandGateway gateway;

    @POST
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.JOB_OPERATION)))
    @Operation(operationId = "createMigrationJob", summary = "Create a job (NOT_STARTED, or DRAFT with draft=true); returns an Operation")
    public Response create(@NotNull JobSpec body, @HeaderParam(REQUESTED_BY) String requestedBy) {
        JobSpec spec = new JobSpec(
                body.id() == null ? ResourceIds.generate("job") : body.id(),
                body.displayName(), body.source(), body.destination(), body.databases(),
                body.dumpParallelism() == null ? DumpParallelism.OPTIMAL : body.dumpParallelism(),
                Boolean.TRUE.equals(body.draft()), RoleHandling.of(body.roles()), Boolean.TRUE.equals(body.replicaIdentityFull()),
                body.cdcParallelism() == null ? 1 : body.cdcParallelism());
        Command command = Command.builder(CommandType.CREATE_JOB).job(spec)
                .requestedBy(CommandGateway.requester(requestedBy)).build();
        BodyFields.requireNone(CommandValidator.validate(command), "job");
        projection.requireRebuilt();
        List<FieldError> unknown = new ArrayList<>();
        if (profiles.find(spec.source()).isEmpty()) {
            unknown.add(new FieldError("source", "unknown connection profile " + spec.source()));
        }
        if (profiles.find(spec.destination()).isEmpty()) {
            unknown.add(new FieldError("destination", "unknown connection profile " + spec.destination()));
        }
        BodyFields.requireNone(unknown, null);
        if (jobs.findLive(spec.id()).isPresent()) {
            throw Problems.alreadyExists("migration job " + spec.id() + " already exists");
        }
        return gateway.submit(command);
    }

    @GET
    @APIResponse(responseCode = "200", description = "one page of jobs", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.JOB_LIST)))
    @Operation(operationId = "listMigrationJobs", summary = "List jobs, oldest first; ?state= (or ?status=) filters, ?showDeleted=true includes DELETED; "
            + "?pageSize= (default 500, at most 1000) and ?pageToken= (the nextPageToken of the page before)")
    public Map<String, Object> list(@QueryParam("state") String state, @QueryParam("status") String status,
                                    @QueryParam("showDeleted") String showDeleted,
                                    @QueryParam("pageSize") String pageSize, @QueryParam("pageToken") String pageToken) {
        JobState wanted = state != null ? QueryParams.jobState("state", state) : QueryParams.jobState("status", status);
        boolean withDeleted = QueryParams.bool("showDeleted", showDeleted);
        projection.requireRebuilt();
        List<MigrationJob> matching = jobs.all().stream()
                .filter(j -> wanted == null || j.state() == wanted)
                .filter(j -> withDeleted || wanted == JobState.DELETED || j.state() != JobState.DELETED)
                .toList();
        return Page.of(matching, MigrationJob::createTime, MigrationJob::id, pageSize, pageToken).body("migrationJobs");
    }


    @GET
    @Path("{id}")
    @Operation(operationId = "getMigrationJob", summary = "Get a job")
    public MigrationJob get(@PathParam("id") String id) {
        projection.requireRebuilt();
        return jobs.findLive(id).orElseThrow(() -> Problems.notFound("no migration job " + id));
    }

    @PATCH
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.JOB_OPERATION)))
    @Operation(operationId = "updateMigrationJob", summary = "Edit displayName, databases, dumpParallelism, roles or replicaIdentityFull (live in any status that allows edit), cdcParallelism (before start)")
    public Response edit(@PathParam("id") String id, @NotNull JobPatch body, @HeaderParam(REQUESTED_BY) String requestedBy) {
        return actions.single(id, JobAction.EDIT, requestedBy, c -> c.patch(body));
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "done: the Operation", content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.JOB_OPERATION)))
    @Operation(operationId = "deleteMigrationJob", summary = "Delete a job; destination data is kept unless ?purgeDestination=true")
    public Response delete(@PathParam("id") String id, @QueryParam("purgeDestination") String purgeDestination,
                           @HeaderParam(REQUESTED_BY) String requestedBy) {
        boolean purge = QueryParams.bool("purgeDestination", purgeDestination);
        return actions.single(id, JobAction.DELETE, requestedBy, c -> c.purgeDestination(purge));
    }

    /** {@code POST /v1/migration-jobs/job-1:start}: the whole segment arrives here, see {@link CustomVerb}. */
    @POST
    @Path("{name}")
    // Documented as one path per verb by dms.api.openapi.CustomVerbPaths; this answer makes the scan include the report's schema.
    @APIResponse(responseCode = "200", content = @Content(mediaType = "application/json",
            schema = @Schema(oneOf = {dms.common.messages.MigrationJob.class, dms.common.messages.PreflightReport.class})))
    @Operation(summary = "Custom verb on a job: {id}:start, :stop, :resume, :restart, :promote or :verify "
            + "(start and restart run the pre-flight, refused on an ERROR finding unless {\"skipValidation\": true};"
            + " restart takes an optional {\"databases\": [...]})")
    public Response verb(@PathParam("name") String name, VerbRequest body, @HeaderParam(REQUESTED_BY) String requestedBy) {
        CustomVerb verb = CustomVerb.parse(name).orElseThrow(() -> Problems.notFound(
                "no such verb: use POST /v1/migration-jobs/{id}:start, :stop, :resume, :restart, :promote or :verify"));
        List<String> databases = body == null ? null : body.databases();
        if (databases != null && verb.action() != JobAction.RESTART) {
            throw Problems.invalid("databases", "only restart takes databases");
        }
        Boolean skipValidation = body == null ? null : body.skipValidation();
        if (skipValidation != null && verb.action() != JobAction.START && verb.action() != JobAction.RESTART) {
            throw Problems.invalid("skipValidation", "only start and restart take skipValidation");
        }
        return actions.single(verb.jobId(), verb.action(), requestedBy, c -> c.databases(databases).skipValidation(skipValidation));
    }

    @GET
    @Path("{id}/events")
    @APIResponse(responseCode = "200", description = "the events", content = @Content(mediaType = "application/json",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT, requiredProperties = {"events"}, properties = @org.eclipse.microprofile.openapi.annotations.media.SchemaProperty(
                    name = "events", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY, implementation = JobEvent.class))))
    @Operation(operationId = "listMigrationJobEvents", summary = "The job's audit trail (last 1000 events), oldest first")
    public Map<String, List<JobEvent>> events(@PathParam("id") String id) {
        projection.requireRebuilt();
        if (jobs.find(id).isEmpty() && !events.has(id)) {
            throw Problems.notFound("no migration job " + id);
        }
        return Map.of("events", events.of(id));
    }
}
