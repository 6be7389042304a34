package dms.api.openapi;

import static dms.api.openapi.SchemaBuilder.array;
import static dms.api.openapi.SchemaBuilder.object;
import static dms.api.openapi.SchemaBuilder.ref;
import static dms.api.openapi.SchemaBuilder.scalar;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * The schemas that the resources' Java types do not give (a method returns a JAX-RS Response or a
 * map): the Operation of each kind of call with its typed {@code response}, the pages of the lists,
 * the problem document. The resources name them in {@code @APIResponse(... ref = ...)}.
 */
public final class ApiSchemas {
    public static final String JOB_OPERATION = "MigrationJobOperation";
    public static final String VERIFY_OPERATION = "VerifyOperation";
    public static final String BATCH_OPERATION = "BatchOperation";
    public static final String PROFILE_OPERATION = "ConnectionProfileOperation";
    public static final String PROFILE_DELETE_OPERATION = "ConnectionProfileDeleteOperation";
    public static final String DATABASES_OPERATION = "ProfileDatabasesOperation";
    public static final String JOB_LIST = "MigrationJobList";
    public static final String PROFILE_LIST = "ConnectionProfileList";
    public static final String PROBLEM = "Problem";
    /** Generated from the Java types (dms.common.messages), referenced here. */
    static final String OPERATION = "Operation";
    static final String MIGRATION_JOB = "MigrationJob";
    static final String PROFILE = "ConnectionProfile";
    static final String PREFLIGHT_REPORT = "PreflightReport";
    static final String FINDING = "Finding";
    static final String PROFILE_DATABASES = "ProfileDatabases";

    private ApiSchemas() {}

    static void addTo(Components components) {
        Map<String, Schema> generated = components.getSchemas();
        Schema operation = generated.get(OPERATION);
        // Operation.response is a JsonNode in Java: any JSON value; the typed Operations below say which.
        operation.addProperty("response", SchemaBuilder.any("the resource after the change (done without error)"));
        components.removeSchema("JsonNode");
        components.removeSchema("JsonNodeType");
        // JobPatch.isEmpty() is not a field: a client that sent it would get a 400 (unknown field).
        generated.get("JobPatch").removeProperty("empty");
        // A profile as the API returns it: the secrets are write-only, never in a response.
        Schema profile = generated.get(PROFILE);
        for (String secret : List.of("password", "encryptedPassword", "sslKey", "encryptedSslKey")) {
            profile.removeProperty(secret);
        }

        components.addSchema(JOB_OPERATION, typedOperation(operation, ref(MIGRATION_JOB)));
        components.addSchema(VERIFY_OPERATION, typedOperation(operation, SchemaBuilder.oneOf(
                "the pre-flight report (before start), or the job whose verification a data check fills in (from CDC on)",
                ref(PREFLIGHT_REPORT), ref(MIGRATION_JOB))));
        components.addSchema("JobSummary", object("a job as a batch names it (docs/api.md, Bulk actions)")
                .addProperty("id", scalar(SchemaType.STRING)).addProperty("state", ref("JobState"))
                .addProperty("phase", ref("JobPhase")).addProperty("version", scalar(SchemaType.INTEGER).format("int64"))
                .addProperty("runEpoch", scalar(SchemaType.INTEGER).format("int64")));
        components.addSchema(BATCH_OPERATION, typedOperation(operation, object("each job after the action; a batchVerify before start: the reports")
                .addProperty("migrationJobs", array(ref("JobSummary")))
                .addProperty("reports", array(ref(PREFLIGHT_REPORT)))));
        components.addSchema(PROFILE_OPERATION, typedOperation(operation, ref(PROFILE)));
        components.addSchema(PROFILE_DELETE_OPERATION, typedOperation(operation, object(null)
                .addProperty("name", scalar(SchemaType.STRING)).addProperty("deleted", scalar(SchemaType.BOOLEAN))));
        components.addSchema("ProfileDatabase", object("a database of the profile's server (docs/api.md)")
                .addProperty("name", scalar(SchemaType.STRING))
                .addProperty("sizeBytes", scalar(SchemaType.INTEGER).format("int64"))
                .addProperty("maintenance", scalar(SchemaType.BOOLEAN).description("left out of a job of all databases"))
                .addProperty("migrationJobs", array(scalar(SchemaType.STRING)).description("jobs (not deleted) migrating it"))
                .addRequired("name"));
        components.addSchema(PROFILE_DATABASES, object("the databases the profile's user may connect to, by name")
                .addProperty("connectionProfile", scalar(SchemaType.STRING))
                .addProperty("databases", array(ref("ProfileDatabase"))));
        components.addSchema(DATABASES_OPERATION, typedOperation(operation, ref(PROFILE_DATABASES)));

        components.addSchema(JOB_LIST, page("migrationJobs", MIGRATION_JOB));
        components.addSchema(PROFILE_LIST, page("connectionProfiles", PROFILE));
        components.addSchema(PROBLEM, problem());
    }

    /** The Operation's fields, with {@code response} of the given schema. */
    private static Schema typedOperation(Schema operation, Schema response) {
        Schema typed = object(operation.getDescription());
        operation.getProperties().forEach(typed::addProperty);
        typed.addProperty("response", response);
        return typed.addRequired("name").addRequired("done");
    }

    /** {@code {"<field>": [...], "nextPageToken": "..."}} */
    private static Schema page(String field, String item) {
        return object("one page, oldest first; nextPageToken is present when there is more")
                .addProperty(field, array(ref(item)))
                .addProperty("nextPageToken", scalar(SchemaType.STRING).description("pass it as pageToken for the next page"))
                .addRequired(field);
    }

    /** RFC 7807, with the members docs/api.md (Errors) lists; others may come. */
    private static Schema problem() {
        Schema fieldError = object(null).addProperty("field", scalar(SchemaType.STRING)).addProperty("message", scalar(SchemaType.STRING));
        Schema strings = array(scalar(SchemaType.STRING));
        return object("application/problem+json (RFC 7807)")
                .addProperty("type", scalar(SchemaType.STRING).format("uri"))
                .addProperty("title", scalar(SchemaType.STRING))
                .addProperty("status", scalar(SchemaType.INTEGER).format("int32"))
                .addProperty("detail", scalar(SchemaType.STRING))
                .addProperty("errors", array(fieldError).description("400: every bad field"))
                .addProperty("state", ref("JobState"))
                .addProperty("phase", ref("JobPhase"))
                .addProperty("allowedActions", array(ref("JobAction")))
                .addProperty("findings", array(ref(FINDING)).description("a start or restart refused by the pre-flight: its ERROR findings"))
                .addProperty("preflights", object("a batch refused by the pre-flight: job id -> ERROR findings")
                        .additionalPropertiesSchema(array(ref(FINDING))))
                .addProperty("missingJobIds", strings)
                .addProperty("differingJobIds", strings)
                .addProperty("jobStatuses", object("a batch of mixed statuses: job id -> STATE/PHASE").additionalPropertiesSchema(scalar(SchemaType.STRING)))
                .addProperty("operation", scalar(SchemaType.STRING).description("the Operation whose error this is"))
                .addProperty("role", scalar(SchemaType.STRING))
                .addProperty("requiredRole", scalar(SchemaType.STRING))
                .addProperty("maxBodyBytes", scalar(SchemaType.INTEGER).format("int64"))
                .additionalPropertiesBoolean(true)
                .addRequired("title").addRequired("status");
    }
}
