package dms.api.openapi;

import dms.api.problems.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the scanned OpenAPI document (/q/openapi) so that a generated client can use it: one
 * path per custom verb, every answer typed (Operations 200 and 202, problems for 4xx and 5xx), and
 * the bearer token. Runs at build time: the document is fixed for a build.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {
    static final String BEARER = "bearerAuth";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        ApiSchemas.addTo(openAPI.getComponents());
        CustomVerbPaths.expand(openAPI.getPaths(), openAPI.getComponents());
        openAPI.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("an API token (docs/security.md): a viewer token reads, an operator token also acts"));
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                item.getOperations().forEach((method, op) -> addAnswers(path, method, op));
            }
        });
    }

    /** The answers every call of its kind can give, besides its 200 (docs/api.md, Errors). */
    private static void addAnswers(String path, PathItem.HttpMethod method, Operation op) {
        APIResponses responses = op.getResponses();
        boolean mutating = method != PathItem.HttpMethod.GET;
        // A read the orchestrator answers (it reaches a profile's server): a command, as a mutating call is.
        boolean reachesServer = answers(op, ApiSchemas.DATABASES_OPERATION);
        if (mutating || reachesServer) {
            responses.addAPIResponse("202", OASFactory.createAPIResponse()
                    .description("not decided within dms.api.operation-wait: poll GET /v1/operations/{id} (Location)")
                    .addHeader("Location", OASFactory.createHeader().schema(SchemaBuilder.scalar(Schema.SchemaType.STRING)))
                    .content(json(SchemaBuilder.ref(ApiSchemas.OPERATION))));
        }
        boolean takesInput = op.getRequestBody() != null || op.getParameters() != null
                && op.getParameters().stream().anyMatch(p -> p.getIn() == org.eclipse.microprofile.openapi.models.parameters.Parameter.In.QUERY);
        problem(responses, "400", "invalid input: errors names every bad field", takesInput);
        problem(responses, "401", "no token, or one the API does not know", true);
        problem(responses, "403", "a viewer token on a call that needs an operator", mutating);
        problem(responses, "404", "unknown job, profile or operation", path.contains("{") || path.contains(":batch"));
        problem(responses, "409", "not allowed in the job's state (state, phase, allowedActions), refused by the pre-flight"
                + " (findings), the id exists, the profile is in use, a batch of mixed statuses", mutating);
        problem(responses, "413", "the body is larger than the limit", op.getRequestBody() != null);
        problem(responses, "500", "internal error (no internals in the answer)", true);
        problem(responses, "502", "the profile's server does not answer or refuses the connection (detail: the driver's reason)",
                reachesServer);
        problem(responses, "503", "the API is starting (projection rebuilding) or Kafka does not take the command", true);
    }

    private static boolean answers(Operation op, String schema) {
        org.eclipse.microprofile.openapi.models.responses.APIResponse ok = op.getResponses().getAPIResponse("200");
        if (ok == null || ok.getContent() == null || ok.getContent().getMediaType("application/json") == null) {
            return false;
        }
        Schema answer = ok.getContent().getMediaType("application/json").getSchema();
        return answer != null && answer.getRef() != null && answer.getRef().endsWith("/" + schema);
    }

    private static void problem(APIResponses responses, String status, String description, boolean applies) {
        org.eclipse.microprofile.openapi.models.responses.APIResponse scanned = responses.getAPIResponse(status);
        if (applies && (scanned == null || scanned.getContent() == null)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(SchemaBuilder.ref(ApiSchemas.PROBLEM)))));
        }
    }

    static Content json(Schema schema) {
        return OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType().schema(schema));
    }
}
