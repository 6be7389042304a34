package dms.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real HTTP stack with tokens configured inline, pre-hashed and in a file. */
@QuarkusTest
@TestProfile(BearerAuthTest.Tokens.class)
class BearerAuthTest {

    static final String OPERATOR = "operator-token-3f9a1c7e5b2d4";
    static final String VIEWER = "viewer-token-8e1b6d0a2c4f7";
    static final String FROM_FILE = "file-token-5c2e9a7d1b3f6";

    public static class Tokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("dms-tokens", ".txt");
                Files.writeString(file, "# operators\nrunner:operator:" + FROM_FILE + "\n");
                file.toFile().deleteOnExit();
                return NoKafka.with(Map.of(
                        "dms.api.auth.tokens", "ci:operator:" + OPERATOR + ",grafana:viewer:sha256:" + TokenHash.hex(VIEWER),
                        "dms.api.auth.tokens-file", file.toString(),
                        "quarkus.http.limits.max-body-size", "64K"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static RequestSpecification as(String token) {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    @Test
    void noTokenOrAnUnknownOneIs401() {
        given().get("/v1/migration-jobs").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("https://dms.dev/problems/unauthenticated"))
                .body("status", equalTo(401));
        as("not-a-token").get("/v1/migration-jobs").then().statusCode(401).body(not(containsString("not-a-token")));
        as(OPERATOR + "x").post("/v1/migration-jobs/a:start").then().statusCode(401);
        given().header("Authorization", "Basic " + OPERATOR).get("/v1/migration-jobs").then().statusCode(401);
        // The hash written in the configuration is not a token.
        as("sha256:" + TokenHash.hex(VIEWER)).get("/v1/migration-jobs").then().statusCode(401);
    }

    @Test
    void aViewerReadsButCannotAct() {
        // Past the filter: the projection has no Kafka to rebuild from, so 503, not 401/403.
        as(VIEWER).get("/v1/migration-jobs").then().statusCode(503);
        as(VIEWER).get("/v1/connection-profiles/p").then().statusCode(503);
        as(VIEWER).body("{}").post("/v1/migration-jobs").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://dms.dev/problems/permission-denied"))
                .body("role", equalTo("viewer")).body("requiredRole", equalTo("operator"))
                .body("detail", containsString("grafana"));
        as(VIEWER).post("/v1/migration-jobs/orders:start").then().statusCode(403);
        as(VIEWER).delete("/v1/connection-profiles/p").then().statusCode(403);
        as(VIEWER).body("{}").patch("/v1/migration-jobs/orders").then().statusCode(403);
    }

    @Test
    void operatorsFromTheListAndTheFileAct() {
        // Past the filter: the body is checked (400 naming the fields) before anything needs Kafka.
        as(OPERATOR).body("{\"host\":\"h\"}").post("/v1/connection-profiles").then().statusCode(400)
                .body("errors.field", hasItems("port", "username"));
        as(FROM_FILE).body("{\"host\":\"h\"}").post("/v1/connection-profiles").then().statusCode(400);
        as(FROM_FILE).get("/v1/migration-jobs").then().statusCode(503);
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        // ... but not the API behind a path that only starts like them.
        given().get("/q/../v1/migration-jobs").then().statusCode(401);
    }

    /** PATCH of a profile: an operator's call, every bad field named before anything else runs, no secret repeated. */
    @Test
    void aProfileEditNeedsAnOperatorAndEachBadFieldIsNamed() {
        String bad = "{\"host\":\"db/x?sslmode=disable\",\"port\":0,\"password\":\"Edit-Secret-1\","
                + "\"sslKey\":\"-----BEGIN RSA PRIVATE KEY-----\\nQUFBQUJCQkI=\\n-----END RSA PRIVATE KEY-----\\n\"}";
        as(VIEWER).body(bad).patch("/v1/connection-profiles/p1").then().statusCode(403);
        as(OPERATOR).body(bad).patch("/v1/connection-profiles/p1").then().statusCode(400)
                .body("errors.field", contains("host", "port", "sslKey"))
                .body(not(containsString("Edit-Secret-1")), not(containsString("QUFBQUJCQkI")));
        as(OPERATOR).body("{}").patch("/v1/connection-profiles/p1").then().statusCode(400).body("errors.field", contains("$"));
        as(OPERATOR).body("{\"id\":\"p2\"}").patch("/v1/connection-profiles/p1").then().statusCode(400);
        // Valid: it goes on to the projection, which has no Kafka here.
        as(OPERATOR).body("{\"password\":\"Edit-Secret-1\"}").patch("/v1/connection-profiles/p1").then().statusCode(503);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        as(OPERATOR).body("{\"displayName\":\"" + "x".repeat(70_000) + "\"}").post("/v1/migration-jobs")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://dms.dev/problems/payload-too-large"))
                .body("maxBodyBytes", equalTo(65536));
        // Authentication comes first: an anonymous client is told 401, not the limit.
        given().contentType(ContentType.JSON).body("x".repeat(70_000)).post("/v1/migration-jobs").then().statusCode(401);
    }

    /** The console: pages load without a token and set no cookie; what they show and do needs the API's tokens. */
    @Test
    void theConsolePagesAreOpenAndTheirDataIsNot() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Set-Cookie", nullValue())
                .body(containsString("/webjars/htmx.org/dist/htmx.min.js"));
        given().get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200);
        given().get("/ui/assets/console.js").then().statusCode(200).body(containsString("Authorization"));
        given().get("/ui/jobs/orders").then().statusCode(200).body(containsString("/ui/data/jobs/orders"));
        // An id that is not one cannot steer the page's data requests elsewhere.
        given().urlEncodingEnabled(false).get("/ui/jobs/..%2F..%2Fv1").then().statusCode(404);
        given().get("/ui/data/jobs").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/x-www-form-urlencoded").formParam("jobIds", "a")
                .post("/ui/data/jobs/batch/delete").then().statusCode(401);
        as(VIEWER).contentType("application/x-www-form-urlencoded").post("/ui/data/jobs/a/actions/promote").then().statusCode(403)
                .body("requiredRole", equalTo("operator"));
    }
}
