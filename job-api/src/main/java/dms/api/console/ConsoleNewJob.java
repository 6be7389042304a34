package dms.api.console;

import dms.api.jobs.JobActions;
import dms.api.jobs.JobResource;
import dms.api.operations.OperationResource;
import dms.common.messages.DumpParallelism;
import dms.common.messages.JobPatch;
import dms.common.messages.JobSpec;
import dms.common.messages.Operation;
import dms.common.messages.PreflightReport;
import dms.common.statemachine.JobAction;
import dms.common.validation.ResourceIds;
import dms.api.problems.Problems;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The create-job form, in the two steps of the DMS console's "create and test": the job is
 * created as a DRAFT for all databases and its pre-flight runs ({@code :verify}), whose report
 * lists the source's databases with their sizes (and what would stop the start); the operator
 * then ticks the databases to migrate (an edit of the draft), or none for all of them. All of it
 * through the REST resources, as a client would call them.
 */
@Path(ConsolePaths.DATA + "/new-job")
@Produces(MediaType.TEXT_HTML)
public class ConsoleNewJob {

    @Inject
    JobResource jobs;
    @Inject
    JobActions actions;
    @Inject
    ConsoleReads reads;
    @Inject
    Outcomes outcomes;
    @Inject
    OperationResource operations;

    @GET
    public TemplateInstance form(@HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        return Views.newJobForm(reads.profiles(), reads.caller(by));
    }

    /** Step 1: the draft and its pre-flight, whose report lists the source's databases. */
    @POST
    @Path("draft")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response draft(@FormParam("id") String id, @FormParam("displayName") String displayName,
                          @FormParam("source") String source, @FormParam("destination") String destination,
                          @FormParam("dumpParallelism") String parallelism, @HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        String jobId = blank(id) ? ResourceIds.generate("job") : id.strip();
        JobSpec spec = new JobSpec(jobId, blank(displayName) ? null : displayName.strip(), blank(source) ? null : source,
                blank(destination) ? null : destination, List.of(), parallelism(parallelism), true);
        Response created = jobs.create(spec, by);
        if (created.getStatus() >= 400) {
            return created;
        }
        return databases(jobId, actions.single(jobId, JobAction.VERIFY, by, c -> c));
    }

    /** Step 1, when the pre-flight took longer than the API waits: polled until its report is there. */
    @GET
    @Path("{id}/preflight/{operation}")
    public Response preflight(@PathParam("id") String id, @PathParam("operation") String operation) {
        return databases(id, Response.ok(operations.get(operation)).build());
    }

    /** Step 2: the databases ticked (none: all of them), then the job's page. */
    @POST
    @Path("{id}/databases")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@PathParam("id") String id, @FormParam("databases") List<String> databases,
                           @HeaderParam(ConsoleJobs.REQUESTED_BY) String by) {
        if (databases != null && !databases.isEmpty()) {
            Response edited = jobs.edit(id, new JobPatch(null, databases, null), by);
            if (edited.getStatus() >= 400) {
                return edited;
            }
        }
        return Response.ok("", MediaType.TEXT_HTML_TYPE).header("HX-Redirect", "/ui/jobs/" + id).build();
    }

    private Response databases(String jobId, Response verified) {
        if (verified.getStatus() >= 400 || !(verified.getEntity() instanceof Operation op)) {
            return verified;
        }
        if (op.done() && op.error() != null) {
            return Problems.fromOperation(op).toResponse();
        }
        List<PreflightReport> reports = outcomes.reports(op);
        PreflightReport report = reports.isEmpty() ? null : reports.get(0);
        return Response.ok(Views.newJobDatabases(jobId, report, Outcomes.operationId(op)).render(), MediaType.TEXT_HTML_TYPE).build();
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
