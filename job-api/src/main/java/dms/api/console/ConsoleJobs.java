package dms.api.console;

import dms.api.jobs.BatchRequest;
import dms.api.jobs.JobActions;
import dms.api.jobs.JobResource;
import dms.api.operations.OperationResource;
import dms.api.problems.Problems;
import dms.common.messages.JobEvent;
import dms.common.messages.MigrationJob;
import dms.common.messages.Operation;
import dms.common.statemachine.JobAction;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's job fragments and actions. Reads and actions go through the REST resources
 * themselves (the same validation, state-machine check, command and wait as a client's call);
 * this class only renders what they answer.
 */
@Path(ConsolePaths.DATA)
@Produces(MediaType.TEXT_HTML)
public class ConsoleJobs {

    static final String REQUESTED_BY = "X-Requested-By";
    private static final int EVENTS_SHOWN = 50;

    @Inject
    JobResource api;
    @Inject
    JobActions actions;
    @Inject
    OperationResource operations;
    @Inject
    Outcomes outcomes;
    @Inject
    ConsoleReads reads;

    @GET
    @Path("session")
    public TemplateInstance session(@HeaderParam(REQUESTED_BY) String by) {
        return Views.session(caller(by));
    }

    /** The list, filtered by state (the API's filter) and a search over id, name, profiles and databases. */
    @GET
    @Path("jobs")
    public TemplateInstance list(@QueryParam("state") String state, @QueryParam("search") String search,
                                 @HeaderParam(REQUESTED_BY) String by) {
        String wanted = state == null || state.isBlank() ? null : state;
        List<MigrationJob> jobs = reads.jobs(wanted);
        String needle = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        List<MigrationJob> shown = needle.isEmpty() ? jobs : jobs.stream().filter(j -> matches(j, needle)).toList();
        return Views.jobsTable(shown, wanted, search, caller(by));
    }

    static boolean matches(MigrationJob j, String needle) {
        List<String> fields = new ArrayList<>(List.of(j.id(), String.valueOf(j.displayName()), j.source(), j.destination()));
        if (j.databases() != null) {
            fields.addAll(j.databases());
        }
        return fields.stream().anyMatch(f -> f != null && f.toLowerCase(Locale.ROOT).contains(needle));
    }

    /**
     * The bulk bar for the ticked jobs: their common status's actions, or why there are none.
     * A POST (an operator's) because a selection can be longer than a URL; viewers get no boxes to tick.
     */
    @POST
    @Path("jobs/selection")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance selection(@FormParam("jobIds") List<String> jobIds, @HeaderParam(REQUESTED_BY) String by) {
        List<MigrationJob> selected = new ArrayList<>();
        for (String id : jobIds) {
            find(id).ifPresent(selected::add);
        }
        return Views.bulkBar(BulkSelection.of(selected), caller(by));
    }

    @POST
    @Path("jobs/batch/{action}")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response batch(@PathParam("action") String action, @FormParam("jobIds") List<String> jobIds,
                          @HeaderParam(REQUESTED_BY) String by) {
        boolean purge = action.equals("delete-purge");
        JobAction a = purge ? JobAction.DELETE : jobAction(action);
        BatchRequest body = new BatchRequest(jobIds, purge ? Boolean.TRUE : null, null);
        return outcomes.of("batch-" + action, actions.batch(a, body, by));
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance job(@PathParam("id") String id, @HeaderParam(REQUESTED_BY) String by) {
        MigrationJob job = api.get(id);
        List<JobEvent> events = api.events(id).get("events");
        JobEvent preflight = null;
        for (JobEvent e : events) {
            if (e.type() == JobEvent.Type.PRE_FLIGHT) {
                preflight = e;
            }
        }
        return Views.jobDetail(job, ActionButton.of(job), preflight, caller(by));
    }

    /** The last events, newest first. */
    @GET
    @Path("jobs/{id}/events")
    public TemplateInstance events(@PathParam("id") String id) {
        List<JobEvent> events = new ArrayList<>(api.events(id).get("events"));
        java.util.Collections.reverse(events);
        return Views.jobEvents(events.subList(0, Math.min(EVENTS_SHOWN, events.size())));
    }

    /** One of the job's buttons ({@link ActionButton}): the REST verb or delete, as a client calls it. */
    @POST
    @Path("jobs/{id}/actions/{action}")
    public Response act(@PathParam("id") String id, @PathParam("action") String action, @HeaderParam(REQUESTED_BY) String by) {
        Response answer = switch (action) {
            case "delete" -> api.delete(id, "false", by);
            case "delete-purge" -> api.delete(id, "true", by);
            default -> api.verb(id + ":" + jobAction(action).verb(), null, by);
        };
        return outcomes.of(action, answer);
    }

    /** An Operation that was not decided in time (202): polled until done. */
    @GET
    @Path("operations/{id}")
    public Response operation(@PathParam("id") String id, @QueryParam("action") String action) {
        Operation op = operations.get(id);
        if (op.done() && op.error() != null) {
            return Problems.fromOperation(op).toResponse();
        }
        return Outcomes.html(outcomes.render(action == null ? "operation" : action, op));
    }

    private Optional<MigrationJob> find(String id) {
        try {
            return Optional.of(api.get(id));
        } catch (dms.api.problems.ProblemException gone) {
            return Optional.empty();
        }
    }

    private static JobAction jobAction(String action) {
        for (JobAction a : JobAction.values()) {
            if (a.verb().equals(action) && a != JobAction.EDIT) {
                return a;
            }
        }
        throw Problems.notFound("no such action: " + action);
    }

    private Caller caller(String by) {
        return reads.caller(by);
    }
}
