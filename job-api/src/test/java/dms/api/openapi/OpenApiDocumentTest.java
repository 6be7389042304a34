package dms.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dms.api.auth.NoKafka;
import dms.api.jobs.CustomVerb;
import dms.api.jobs.JobBatchResource;
import dms.api.jobs.JobResource;
import dms.api.operations.OperationResource;
import dms.api.profiles.ProfileResource;
import dms.common.statemachine.JobAction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The served /q/openapi against the resources themselves: every method of every resource is a
 * path and verb of the document (each custom verb its own path), with an operationId, a typed 200
 * (a schema, not an empty one), 202 Operations and problem documents for errors, the bearer scheme,
 * and no $ref that points nowhere. What a client generator needs to produce a client that works.
 */
@QuarkusTest
@TestProfile(OpenApiDocumentTest.Plain.class)
class OpenApiDocumentTest {
    private static final List<Class<?>> RESOURCES = List.of(JobResource.class, JobBatchResource.class, ProfileResource.class,
            OperationResource.class);

    public static class Plain implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return NoKafka.with(Map.of());
        }
    }

    private JsonNode doc;

    /** Per test: RestAssured knows the application's random port only once it runs. */
    @BeforeEach
    void read() throws Exception {
        doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
    }

    @Test
    void everyEndpointIsDocumentedWithTypedAnswers() {
        Set<String> expected = expectedOperations();
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op ->
                documented.add(op.getKey().toUpperCase() + " " + path.getKey())));
        assertEquals(new TreeSet<>(expected), documented);
        assertEquals(6, expected.stream().filter(e -> e.contains("}:")).count(), "one path per custom verb");

        Set<String> operationIds = new HashSet<>();
        for (String call : expected) {
            String method = call.substring(0, call.indexOf(' ')).toLowerCase();
            JsonNode op = doc.path("paths").path(call.substring(call.indexOf(' ') + 1)).path(method);
            assertTrue(operationIds.add(op.path("operationId").asText("")) && op.hasNonNull("operationId"), call + ": a unique operationId");
            JsonNode ok = op.path("responses").path("200").path("content").path("application/json").path("schema");
            assertTrue(typed(ok), call + ": a typed 200, not " + ok);
            if (!method.equals("get")) {
                assertTrue(ok.path("$ref").asText().endsWith("Operation"), call + ": answers an Operation: " + ok);
                assertEquals("#/components/schemas/Operation",
                        op.path("responses").path("202").path("content").path("application/json").path("schema").path("$ref").asText(), call);
                for (String status : List.of("401", "403", "409")) {
                    assertProblem(op, status, call);
                }
            } else {
                assertProblem(op, "401", call);
            }
            if (call.contains("{")) {
                assertProblem(op, "404", call);
                assertTrue(op.path("parameters").findValuesAsText("name").contains("id"), call + ": the {id} parameter");
            }
        }
    }

    /** Listing a profile's databases is a read that the orchestrator answers: an Operation, 202 while pending, 502 unreachable. */
    @Test
    void theDatabaseListingAnswersAnOperation() {
        JsonNode op = doc.path("paths").path("/v1/connection-profiles/{id}/databases").path("get");
        assertEquals("listConnectionProfileDatabases", op.path("operationId").asText());
        assertEquals("#/components/schemas/ProfileDatabasesOperation",
                op.path("responses").path("200").path("content").path("application/json").path("schema").path("$ref").asText());
        assertEquals("#/components/schemas/Operation",
                op.path("responses").path("202").path("content").path("application/json").path("schema").path("$ref").asText());
        for (String status : List.of("401", "404", "502", "503")) {
            assertProblem(op, status, "GET databases");
        }
        assertFalse(op.path("responses").has("403"), "a viewer may list");
        JsonNode schemas = doc.path("components").path("schemas");
        assertEquals("#/components/schemas/ProfileDatabases",
                schemas.path("ProfileDatabasesOperation").path("properties").path("response").path("$ref").asText());
        assertEquals("#/components/schemas/ProfileDatabase",
                schemas.path("ProfileDatabases").path("properties").path("databases").path("items").path("$ref").asText());
        for (String field : List.of("name", "sizeBytes", "maintenance", "migrationJobs")) {
            assertTrue(schemas.path("ProfileDatabase").path("properties").has(field), field);
        }
        assertFalse(doc.path("paths").path("/v1/connection-profiles/{id}").path("get").path("responses").has("502"),
                "only a call that reaches a server answers 502");
    }

    @Test
    void operationsAndTheirResponsesAreTyped() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertEquals("#/components/schemas/MigrationJob", schemas.path("MigrationJobOperation").path("properties").path("response").path("$ref").asText());
        assertEquals("#/components/schemas/ConnectionProfile", schemas.path("ConnectionProfileOperation").path("properties").path("response").path("$ref").asText());
        List<String> verifyAnswers = schemas.path("VerifyOperation").path("properties").path("response").path("oneOf").findValuesAsText("$ref");
        assertTrue(verifyAnswers.contains("#/components/schemas/PreflightReport"), verifyAnswers.toString());
        assertTrue(schemas.path("PreflightReport").path("properties").has("findings"));
        assertTrue(schemas.path("Finding").path("properties").has("action"));
        assertTrue(schemas.path("Problem").path("properties").has("allowedActions"));
        assertTrue(schemas.path("MigrationJobList").path("properties").has("nextPageToken"));
        // The secrets are write-only: in the request bodies, never in the profile a read answers.
        assertTrue(schemas.path("CreateProfileRequest").path("properties").has("password"));
        for (String secret : List.of("password", "encryptedPassword", "sslKey", "encryptedSslKey")) {
            assertFalse(schemas.path("ConnectionProfile").path("properties").has(secret), secret);
        }
        assertFalse(schemas.path("JobPatch").path("properties").has("empty"), "JobPatch.isEmpty() is not a field");
        assertEquals("#/components/schemas/StartRequest", doc.path("paths").path("/v1/migration-jobs/{id}:start").path("post")
                .path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText());
        assertFalse(doc.path("paths").path("/v1/migration-jobs/{id}:start").path("post").path("requestBody").path("required").asBoolean(),
                "the body of a verb is optional");
    }

    @Test
    void theBearerSchemeAppliesToEveryCall() {
        JsonNode scheme = doc.path("components").path("securitySchemes").path(ApiDocumentFilter.BEARER);
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        assertTrue(doc.path("security").get(0).has(ApiDocumentFilter.BEARER), doc.path("security").toString());
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = doc.findValuesAsText("$ref");
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/components/schemas/"), ref);
            assertTrue(doc.path("components").path("schemas").has(ref.substring("#/components/schemas/".length())), "dangling " + ref);
        }
    }

    /** "POST /v1/migration-jobs/{id}:start", ... from the resources' JAX-RS annotations. */
    private static Set<String> expectedOperations() {
        Set<String> out = new HashSet<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String method = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST"
                        : m.isAnnotationPresent(PATCH.class) ? "PATCH" : m.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
                if (method == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = base + (sub == null ? "" : "/" + sub.value());
                if (path.endsWith("/{name}")) { // JobResource#verb: one segment for the six verbs
                    for (JobAction a : CustomVerb.actions()) {
                        out.add(method + " " + path.replace("{name}", "{id}:" + a.verb()));
                    }
                } else {
                    out.add(method + " " + path);
                }
            }
        }
        return out;
    }

    /** A $ref, or an inline schema with a type and properties or items. */
    private static boolean typed(JsonNode schema) {
        return schema.hasNonNull("$ref") || schema.has("oneOf")
                || schema.has("type") && (schema.has("properties") || schema.has("items") || !schema.path("type").asText().equals("object"));
    }

    private static void assertProblem(JsonNode op, String status, String call) {
        assertEquals("#/components/schemas/Problem", op.path("responses").path(status).path("content")
                .path("application/problem+json").path("schema").path("$ref").asText(), call + " " + status);
    }

}
