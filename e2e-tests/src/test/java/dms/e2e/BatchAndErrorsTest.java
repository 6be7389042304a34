package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.statemachine.WorkerSignal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bulk actions and the errors a client gets for bad requests. */
class BatchAndErrorsTest {

    @org.junit.jupiter.api.BeforeAll
    static void noRealWorkers() {
        TestStack.withoutWorkers();
    }

    @Test
    void aBatchOfJobsInDifferentStatesIsRefusedWholeAndChangesNothing() {
        createProfiles("batch");
        createJob("batch-a", "batch", List.of("app")).then().statusCode(200);
        createJob("batch-b", "batch", List.of("app")).then().statusCode(200);
        actionWithoutPreflight("batch-a", "start").then().statusCode(200);
        long run = runEpoch("batch-a");
        KafkaProbe.signal("batch-a", run, "app", WorkerSignal.DUMP_STARTED);
        awaitStatus("batch-a", "RUNNING/FULL_DUMP");

        request().body(Map.of("jobIds", List.of("batch-a", "batch-b"))).post("/v1/migration-jobs:batchStop")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("batch-b"));
        assertEquals("RUNNING/FULL_DUMP", status("batch-a"));
        assertEquals("NOT_STARTED", status("batch-b"));

        // Same status: all move at once.
        request().body(Map.of("jobIds", List.of("batch-b"), "skipValidation", true)).post("/v1/migration-jobs:batchStart").then().statusCode(200);
        KafkaProbe.signal("batch-b", runEpoch("batch-b"), "app", WorkerSignal.DUMP_STARTED);
        awaitStatus("batch-b", "RUNNING/FULL_DUMP");
        request().body(Map.of("jobIds", List.of("batch-a", "batch-b"))).post("/v1/migration-jobs:batchStop")
                .then().statusCode(200).body("done", is(true));
        // No copy was in flight in either job: both stopped at once.
        assertEquals("STOPPED/FULL_DUMP", status("batch-a"));
        assertEquals("STOPPED/FULL_DUMP", status("batch-b"));

        request().body(Map.of("jobIds", List.of("batch-a", "nope-1"))).post("/v1/migration-jobs:batchDelete")
                .then().statusCode(404).body("detail", containsString("nope-1"));
        assertEquals("STOPPED/FULL_DUMP", status("batch-a"));
    }

    @Test
    void malformedAndInvalidRequestsGetA400NamingEveryBadField() {
        request().body("{\"id\": \"x\", ").post("/v1/migration-jobs").then().statusCode(400)
                .contentType("application/problem+json");
        request().body(Map.of("id", "Bad Id!", "source", "", "dumpParallelism", "HUGE")).post("/v1/migration-jobs")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(containsString("dumpParallelism")));
        request().body(Map.of("id", "Bad Id!", "destination", "nowhere")).post("/v1/migration-jobs")
                .then().statusCode(400).body("errors.field", hasItems("id", "source"));
        request().body(Map.of("host", "h", "port", 99999)).post("/v1/connection-profiles")
                .then().statusCode(400).body("errors.field", hasItems("port", "username"));
        createProfiles("errs");
        createJob("errs-1", "errs-nonexistent", List.of()).then().statusCode(400).body("errors.field", hasItem("source"));
    }

    @Test
    void unknownIdsGet404() {
        request().get("/v1/migration-jobs/does-not-exist").then().statusCode(404).contentType("application/problem+json");
        action("does-not-exist", "start").then().statusCode(404);
        request().get("/v1/operations/does-not-exist").then().statusCode(404);
        request().get("/v1/connection-profiles/does-not-exist").then().statusCode(404);
    }

    @Test
    void passwordsAreNeverReturned() {
        createProfiles("secret");
        request().get("/v1/connection-profiles/secret-src").then().statusCode(200)
                .body("password", nullValue()).body("encryptedPassword", nullValue()).body("host", is("127.0.0.1"));
        String all = request().get("/v1/connection-profiles").then().statusCode(200).extract().asString();
        assertFalse(all.contains("\"password\""), all);
        assertFalse(KafkaProbe.readAll(KafkaProbe.TOPICS.commands()).stream()
                .anyMatch(r -> r.value() != null && r.value().contains("\"password\":\"dms\"") && r.value().contains("secret-src")),
                "the API sends the password encrypted");
    }

    @Test
    void openApiIsServed() {
        request().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/v1/migration-jobs"));
    }
}
