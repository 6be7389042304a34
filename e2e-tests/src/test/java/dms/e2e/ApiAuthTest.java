package dms.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second job-api on the shared stack, with tokens from a file (the stack's own API runs
 * without, as the other tests expect): a viewer reads, an operator acts, the audit trail names
 * the token's holder, and no token reaches the service's log.
 */
class ApiAuthTest {

    private static final String OPERATOR = "e2e-operator-7d1f3b9a0c5e2468";
    private static final String VIEWER = "e2e-viewer-2a8c4e6f1b3d5790";
    private static ServiceProcess api;

    @BeforeAll
    static void apiWithTokens() throws Exception {
        Path file = Files.createTempFile("dms-tokens", ".txt", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# name:role:token\nci:operator:" + OPERATOR + "\ndashboard:viewer:" + VIEWER + "\n");
        api = TestStack.get().newService(DmsService.JOB_API, "job-api-auth", Map.of("dms.api.auth.tokens-file", file.toString()));
        api.start();
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    private static RequestSpecification as(String token) {
        RequestSpecification r = given().baseUri(api.url()).urlEncodingEnabled(false).contentType(ContentType.JSON);
        return token == null ? r : r.header("Authorization", "Bearer " + token);
    }

    @Test
    void viewersReadOperatorsActAndTheAuditNamesWho() throws Exception {
        as(null).get("/v1/migration-jobs").then().statusCode(401).contentType("application/problem+json");
        as(VIEWER).get("/v1/migration-jobs").then().statusCode(200).body("migrationJobs", notNullValue());

        Map<String, Object> body = Map.of("id", "auth-src", "host", "127.0.0.1", "port", TestStack.get().source().port(),
                "username", PgCluster.USER, "password", PgCluster.PASSWORD, "sslMode", "disable");
        as(VIEWER).body(body).post("/v1/connection-profiles").then().statusCode(403).body("requiredRole", is("operator"));
        as(null).body(body).post("/v1/connection-profiles").then().statusCode(401);
        // A client cannot claim to be someone else: the token's name is the requester.
        as(OPERATOR).header("X-Requested-By", "somebody-else").body(body).post("/v1/connection-profiles")
                .then().statusCode(200).body("done", is(true)).body("metadata.requestedBy", is("ci"));
        as(VIEWER).get("/v1/connection-profiles/auth-src").then().statusCode(200).body("id", is("auth-src"));

        // Health and metrics stay open for probes and scrapers.
        as(null).get("/q/health/ready").then().statusCode(200);
        as(null).get("/q/metrics").then().statusCode(200);

        String log = Files.readString(api.logFile());
        assertTrue(log.contains("REST authentication is on: 2 token(s) (ci: operator, dashboard: viewer)"), log);
        assertFalse(log.contains(OPERATOR) || log.contains(VIEWER), "a token is in the log");
    }

    @Test
    void theStackApiWithoutTokensSaysAuthIsOff() throws Exception {
        String log = Files.readString(TestStack.service(DmsService.JOB_API).logFile());
        assertTrue(log.contains("REST authentication is OFF"), "the open API warns at start");
    }
}
