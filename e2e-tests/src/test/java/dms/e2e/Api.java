package dms.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.devstack.PgCluster;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The REST API as a client uses it. */
public final class Api {

    /** The API these calls go to when not TestStack's (a test class with a stack of its own). */
    private static volatile String otherApiUrl;

    private Api() {}

    /** Sends the calls to the API at {@code apiUrl} until {@link #useTestStack()}: test classes run one at a time. */
    public static void use(String apiUrl) {
        otherApiUrl = apiUrl;
    }

    public static void useTestStack() {
        otherApiUrl = null;
    }

    public static RequestSpecification request() {
        String url = otherApiUrl;
        // The custom verbs ("job:start") carry a colon that must not be percent-encoded.
        return given().baseUri(url != null ? url : TestStack.apiUrl()).urlEncodingEnabled(false).contentType(ContentType.JSON);
    }

    /** Creates a profile for one of the stack's clusters; returns its id. */
    public static String createProfile(String id, PgCluster cluster) {
        request().body(Map.of("id", id, "displayName", id, "host", "127.0.0.1", "port", cluster.port(),
                        "username", PgCluster.USER, "password", PgCluster.PASSWORD, "sslMode", "disable"))
                .post("/v1/connection-profiles")
                .then().statusCode(200).contentType(ContentType.JSON);
        return id;
    }

    /** Source and destination profiles for a test, named after it. */
    public static void createProfiles(String prefix) {
        createProfile(prefix + "-src", TestStack.get().source());
        createProfile(prefix + "-dst", TestStack.get().destination());
    }

    public static Response createJob(String id, String profilePrefix, List<String> databases) {
        return request().body(Map.of("id", id, "displayName", "job " + id, "source", profilePrefix + "-src",
                "destination", profilePrefix + "-dst", "databases", databases)).post("/v1/migration-jobs");
    }

    public static Response action(String jobId, String verb) {
        return request().post("/v1/migration-jobs/" + jobId + ":" + verb);
    }

    /**
     * Start or restart without the pre-flight, for tests that play the workers on databases that
     * do not exist (the pre-flight would refuse them).
     */
    public static Response actionWithoutPreflight(String jobId, String verb) {
        return request().body(Map.of("skipValidation", true)).post("/v1/migration-jobs/" + jobId + ":" + verb);
    }

    public static Response job(String jobId) {
        return request().get("/v1/migration-jobs/" + jobId);
    }

    public static String status(String jobId) {
        Response r = job(jobId);
        if (r.statusCode() == 404) {
            return "404";
        }
        String phase = r.path("phase");
        return r.<String>path("state") + (phase == null ? "" : "/" + phase);
    }

    public static long runEpoch(String jobId) {
        return job(jobId).<Number>path("runEpoch").longValue();
    }

    /** Waits for a status, written "STATE" or "STATE/PHASE" ("404" once gone). */
    public static void awaitStatus(String jobId, String expected) {
        awaitStatus(jobId, expected, 20);
    }

    public static void awaitStatus(String jobId, String expected, int seconds) {
        try {
            await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertEquals(expected, status(jobId), "status of " + jobId));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // On one line, so that a CI summary shows what the job went through.
            throw new AssertionError("status of " + jobId + " is " + status(jobId) + ", not " + expected + " after " + seconds
                    + " s; its last events: " + lastEvents(jobId, 12), e);
        }
    }

    /** The job's newest events, oldest first, on one line. */
    static String lastEvents(String jobId, int count) {
        try {
            java.util.List<java.util.Map<String, Object>> events = request().get("/v1/migration-jobs/" + jobId + "/events")
                    .jsonPath().getList("events");
            if (events == null) {
                return "none";
            }
            return events.subList(Math.max(0, events.size() - count), events.size()).stream()
                    .map(ev -> ev.get("time") + " " + ev.get("type") + (ev.get("database") != null ? " " + ev.get("database") : "")
                            + ": " + ev.get("message"))
                    .collect(java.util.stream.Collectors.joining(" | "));
        } catch (RuntimeException e) {
            return "(not readable: " + e.getMessage() + ")";
        }
    }

    /** verify on a job not started: the pre-flight report, from the finished Operation (its response). */
    public static JsonPath verify(String jobId) {
        Response r = action(jobId, "verify");
        assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.asString());
        JsonPath op = awaitOperation(r.path("name"), 60);
        assertNull(op.get("error"), op.prettify());
        return new JsonPath(op.prettify()).setRootPath("response");
    }

    /** Polls an Operation ({@code operations/...}) until it is done; returns it. */
    public static JsonPath awaitOperation(String name, int seconds) {
        return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(200))
                .until(() -> request().get("/v1/" + name).jsonPath(), p -> Boolean.TRUE.equals(p.get("done")));
    }

    /** verify from CDC on: starts a data check and waits for its end; returns the job's verification. */
    public static JsonPath verifyData(String jobId) {
        String id = verify(jobId).getString("verification.id");
        assertNotNull(id);
        // About 1 s a chunk while CDC runs, several on a loaded test machine (docs/verify.md).
        return await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(300))
                .until(() -> new JsonPath(job(jobId).asString()).setRootPath("verification"),
                        v -> id.equals(v.getString("id")) && v.getString("finishedAt") != null);
    }
}
