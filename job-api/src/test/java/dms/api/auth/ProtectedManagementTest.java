package dms.api.auth;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** dms.api.auth.protect-management=true closes /q/health and /q/metrics to clients without a token. */
@QuarkusTest
@TestProfile(ProtectedManagementTest.Closed.class)
class ProtectedManagementTest {

    static final String VIEWER = "viewer-token-61d0c2b9e8a7f";

    public static class Closed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return NoKafka.with(Map.of("dms.api.auth.tokens", "prometheus:viewer:" + VIEWER,
                    "dms.api.auth.protect-management", "true"));
        }
    }

    @Test
    void managementEndpointsNeedAViewerToken() {
        given().get("/q/health/live").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + VIEWER).get("/q/health/live").then().statusCode(200);
        given().header("Authorization", "Bearer " + VIEWER).get("/q/metrics").then().statusCode(200);
    }
}
