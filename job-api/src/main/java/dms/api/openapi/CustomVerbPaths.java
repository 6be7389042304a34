package dms.api.openapi;

import dms.api.jobs.CustomVerb;
import dms.common.statemachine.JobAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * One path per custom verb, {@code /v1/migration-jobs/{id}:start} ...: JAX-RS matches them all
 * with one {@code {name}} segment (see {@link CustomVerb}), which a generated client could not call.
 */
final class CustomVerbPaths {
    /** The path JobResource#verb is scanned as. */
    static final String SCANNED = "/v1/migration-jobs/{name}";
    static final String START_REQUEST = "StartRequest";
    private static final String RESTART_REQUEST = "VerbRequest";

    private static final Map<JobAction, String> SUMMARIES = Map.of(
            JobAction.START, "Start: the pre-flight, then the full dump and CDC (409 with the ERROR findings, unless skipValidation)",
            JobAction.STOP, "Stop; the replication slot keeps the WAL for resume",
            JobAction.RESUME, "Resume a stopped job where it stopped",
            JobAction.RESTART, "Restart from a new full dump, after the pre-flight (databases: only those)",
            JobAction.PROMOTE, "Promote: drain CDC, sync sequences, drop the slots; the job COMPLETES",
            JobAction.VERIFY, "Verify: the pre-flight report before start, a data check from CDC on");

    private CustomVerbPaths() {}

    static void expand(Paths paths, Components components) {
        Operation scanned = paths.getPathItem(SCANNED).getPOST();
        paths.removePathItem(SCANNED);
        components.addSchema(START_REQUEST, SchemaBuilder.object("optional body of :start and :batchStart")
                .addProperty("skipValidation", SchemaBuilder.scalar(SchemaType.BOOLEAN)
                        .description("go ahead without the pre-flight")));
        for (JobAction action : CustomVerb.actions()) {
            Operation op = OASFactory.createOperation()
                    .operationId(action.verb() + "MigrationJob")
                    .summary(SUMMARIES.get(action))
                    .tags(scanned.getTags())
                    .parameters(parameters(scanned))
                    .responses(OASFactory.createAPIResponses().addAPIResponse("200", OASFactory.createAPIResponse()
                            .description("done: the Operation")
                            .content(ApiDocumentFilter.json(SchemaBuilder.ref(action == JobAction.VERIFY
                                    ? ApiSchemas.VERIFY_OPERATION : ApiSchemas.JOB_OPERATION)))));
            String body = action == JobAction.START ? START_REQUEST : action == JobAction.RESTART ? RESTART_REQUEST : null;
            if (body != null) {
                op.requestBody(OASFactory.createRequestBody().required(false).content(ApiDocumentFilter.json(SchemaBuilder.ref(body))));
            }
            paths.addPathItem("/v1/migration-jobs/{id}:" + action.verb(), OASFactory.createPathItem().POST(op));
        }
    }

    /** The job id in the path, then the scanned operation's other parameters (X-Requested-By). */
    private static List<Parameter> parameters(Operation scanned) {
        List<Parameter> parameters = new ArrayList<>();
        parameters.add(OASFactory.createParameter().name("id").in(Parameter.In.PATH).required(true)
                .description("the job's id").schema(SchemaBuilder.scalar(SchemaType.STRING)));
        for (Parameter p : scanned.getParameters()) {
            if (p.getIn() != Parameter.In.PATH) {
                parameters.add(p);
            }
        }
        return parameters;
    }
}
