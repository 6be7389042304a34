package dms.api.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dms.api.jobs.JobResource;
import dms.api.operations.OperationResource;
import dms.api.problems.Problems;
import dms.api.profiles.ProfileResource;
import dms.common.messages.DumpParallelism;
import dms.common.messages.JobSpec;
import dms.common.messages.Operation;
import dms.common.messages.ProfileDatabases;
import dms.common.validation.ResourceIds;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The create-job form: choosing the source profile lists its server's databases
 * ({@code GET /v1/connection-profiles/{id}/databases}, which the orchestrator answers), the operator
 * ticks those to migrate (none: all of them, resolved at start) and the job is created. All of it
 * through the REST resources, as a client would call them.
 */
@Path(ConsolePaths.DATA + "/new-job")
@Produces(MediaType.TEXT_HTML)
public class ConsoleNewJob {

    @Inject
    JobResource jobs;
    @Inject
    ProfileResource profiles;
    @Inject
    ConsoleReads reads;
    @Inject
    OperationResource operations;
    @Inject
    ObjectMapper json;

    @GET
    public TemplateInstance form(@HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        return Views.newJobForm(reads.profiles(), reads.caller(by));
    }

    /** The source's databases, or (listing not done within the API's wait) a fragment that polls its Operation. */
    @GET
    @Path("databases")
    public Response databases(@QueryParam("source") String source, @HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        if (blank(source)) {
            return Response.ok("", MediaType.TEXT_HTML_TYPE).build();
        }
        return listing(profiles.databases(source, by));
    }

    /** Polled while the listing's Operation is not done. */
    @GET
    @Path("databases/operations/{operation}")
    public Response listingOperation(@PathParam("operation") String operation) {
        return listing(Response.ok(operations.get(operation)).build());
    }

    /** Creates the job with the databases ticked (none: all of them), then shows its page. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("id") String id, @FormParam("displayName") String displayName,
                           @FormParam("source") String source, @FormParam("destination") String destination,
                           @FormParam("dumpParallelism") String parallelism, @FormParam("databases") List<String> databases,
                           @FormParam("replicaIdentityFull") String replicaIdentityFull,
                           @HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        String jobId = blank(id) ? ResourceIds.generate("job") : id.strip();
        JobSpec spec = new JobSpec(jobId, blank(displayName) ? null : displayName.strip(), blank(source) ? null : source,
                blank(destination) ? null : destination, databases == null ? List.of() : databases, parallelism(parallelism), null, null,
                "true".equals(replicaIdentityFull) ? Boolean.TRUE : null);
        Response created = jobs.create(spec, by);
        if (created.getStatus() >= 400) {
            return created;
        }
        return Response.ok("", MediaType.TEXT_HTML_TYPE).header("HX-Redirect", "/ui/jobs/" + jobId).build();
    }

    private Response listing(Response answer) {
        if (answer.getStatus() >= 400 || !(answer.getEntity() instanceof Operation op)) {
            return answer;
        }
        if (op.done() && op.error() != null) {
            return Problems.fromOperation(op).toResponse();
        }
        ProfileDatabases listing = op.done() ? json.convertValue(op.response(), ProfileDatabases.class) : null;
        return Response.ok(Views.newJobDatabases(listing, Outcomes.operationId(op)).render(), MediaType.TEXT_HTML_TYPE).build();
    }

    private static DumpParallelism parallelism(String text) {
        if (blank(text)) {
            return null;
        }
        try {
            return DumpParallelism.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("dumpParallelism", "one of MIN, OPTIMAL, MAX");
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
