package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.DumpTask;
import dms.common.messages.CdcControl;
import dms.common.statemachine.WorkerSignal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job driven through its whole life over REST, with workers' reports sent on dms.progress. */
class RestLifecycleTest {

    @org.junit.jupiter.api.BeforeAll
    static void noRealWorkers() {
        TestStack.withoutWorkers();
    }

    @Test
    void startStopResumeRestartPromoteDelete() throws Exception {
        createProfiles("life");
        createJob("life-1", "life", List.of("app", "crm")).then().statusCode(200)
                .body("done", is(true)).body("name", startsWith("operations/"))
                .body("response.state", is("NOT_STARTED")).body("response.databases", contains("app", "crm"));
        assertEquals("NOT_STARTED", status("life-1"));
        request().get("/v1/migration-jobs?state=NOT_STARTED").then().statusCode(200)
                .body("migrationJobs.id", hasItem("life-1"));

        // Not allowed before start: 409 naming the state and what is allowed.
        for (String verb : List.of("stop", "resume", "restart", "promote")) {
            action("life-1", verb).then().statusCode(409).contentType("application/problem+json")
                    .body("state", is("NOT_STARTED")).body("allowedActions", hasItems("START", "DELETE"));
        }

        actionWithoutPreflight("life-1", "start").then().statusCode(200).body("done", is(true)).body("response.state", is("STARTING"));
        long run = runEpoch("life-1");
        assertEquals(1, run);
        for (String verb : List.of("start", "stop", "resume", "promote", "restart")) {
            action("life-1", verb).then().statusCode(409).body("state", is("STARTING"));
        }
        // The orchestrator asked the dump workers to prepare each database.
        for (String db : List.of("app", "crm")) {
            KafkaProbe.await(KafkaProbe.TOPICS.dumpTasks(), r -> r.key().equals("life-1/" + db)
                    && r.value().contains("\"PREPARE_DATABASE\""), Duration.ofSeconds(10));
        }

        // One database prepared is not enough; both are.
        KafkaProbe.signal("life-1", run, "app", WorkerSignal.DUMP_STARTED);
        KafkaProbe.sleep(500);
        assertEquals("STARTING", status("life-1"));
        KafkaProbe.signal("life-1", run, "crm", WorkerSignal.DUMP_STARTED);
        awaitStatus("life-1", "RUNNING/FULL_DUMP");
        action("life-1", "promote").then().statusCode(409).body("phase", is("FULL_DUMP"));

        // No copy in flight: the dump stops at once (with copies running, once each reports it stopped).
        action("life-1", "stop").then().statusCode(200).body("response.state", is("STOPPED"));
        assertEquals("STOPPED/FULL_DUMP", status("life-1"));

        action("life-1", "resume").then().statusCode(200).body("response.state", is("RESUMING"));
        long resumed = runEpoch("life-1");
        assertEquals(run + 1, resumed, "resume starts a new run");
        // A late report from the previous run changes nothing.
        KafkaProbe.signal("life-1", run, "app", WorkerSignal.RESUMED);
        KafkaProbe.signal("life-1", run, "crm", WorkerSignal.RESUMED);
        KafkaProbe.sleep(500);
        assertEquals("RESUMING/FULL_DUMP", status("life-1"));
        KafkaProbe.signal("life-1", resumed, "app", WorkerSignal.RESUMED);
        KafkaProbe.signal("life-1", resumed, "crm", WorkerSignal.RESUMED);
        awaitStatus("life-1", "RUNNING/FULL_DUMP");

        KafkaProbe.signal("life-1", resumed, "app", WorkerSignal.DUMP_COMPLETED);
        KafkaProbe.signal("life-1", resumed, "crm", WorkerSignal.DUMP_COMPLETED);
        awaitStatus("life-1", "RUNNING/CDC");
        CdcControl run1 = Json.MAPPER.readValue(KafkaProbe.await(KafkaProbe.TOPICS.cdcControl(),
                r -> r.key().equals("life-1/app") && r.value() != null && r.value().contains("\"RUN\""), Duration.ofSeconds(10)).value(), CdcControl.class);
        assertEquals(resumed, run1.runEpoch());
        assertNotNull(run1.source().encryptedPassword(), "workers get the password, encrypted");
        assertNull(run1.source().password(), "never in clear");

        // Stop during CDC, then restart: a new run from the beginning.
        action("life-1", "stop").then().statusCode(200);
        KafkaProbe.signal("life-1", resumed, "app", WorkerSignal.STOPPED);
        KafkaProbe.signal("life-1", resumed, "crm", WorkerSignal.STOPPED);
        awaitStatus("life-1", "STOPPED/CDC");
        actionWithoutPreflight("life-1", "restart").then().statusCode(200).body("response.state", is("RESTARTING"));
        long restarted = runEpoch("life-1");
        KafkaProbe.await(KafkaProbe.TOPICS.dumpTasks(), r -> r.key().equals("life-1/app")
                && r.value().contains("\"PREPARE_DATABASE\"") && r.value().contains("\"purgeDestination\":true")
                && r.value().contains("\"runEpoch\":" + restarted), Duration.ofSeconds(10));
        KafkaProbe.signal("life-1", restarted, "app", WorkerSignal.DUMP_STARTED);
        KafkaProbe.signal("life-1", restarted, "crm", WorkerSignal.DUMP_STARTED);
        awaitStatus("life-1", "RUNNING/FULL_DUMP");
        KafkaProbe.signal("life-1", restarted, "app", WorkerSignal.DUMP_COMPLETED);
        KafkaProbe.signal("life-1", restarted, "crm", WorkerSignal.DUMP_COMPLETED);
        awaitStatus("life-1", "RUNNING/CDC");

        action("life-1", "promote").then().statusCode(200).body("response.phase", is("PROMOTE_IN_PROGRESS"));
        action("life-1", "stop").then().statusCode(409).body("allowedActions", contains("DELETE"));
        KafkaProbe.signal("life-1", restarted, "app", WorkerSignal.PROMOTED);
        KafkaProbe.signal("life-1", restarted, "crm", WorkerSignal.PROMOTED);
        awaitStatus("life-1", "COMPLETED");

        // The audit trail tells the whole story, in order.
        List<String> changes = request().get("/v1/migration-jobs/life-1/events").then().statusCode(200)
                .extract().jsonPath().getList("events.findAll { it.type == 'STATUS_CHANGED' }.toState");
        assertEquals(List.of("STARTING", "RUNNING", "STOPPING", "STOPPED", "RESUMING", "RUNNING", "RUNNING",
                "STOPPING", "STOPPED", "RESTARTING", "RUNNING", "RUNNING", "RUNNING", "COMPLETED"), changes);

        request().delete("/v1/migration-jobs/life-1").then().statusCode(200).body("response.state", is("DELETING"));
        KafkaProbe.await(KafkaProbe.TOPICS.dumpTasks(), r -> r.key().equals("life-1/crm")
                && r.value().contains("\"CLEANUP\""), Duration.ofSeconds(10));
        KafkaProbe.signal("life-1", restarted, "app", WorkerSignal.CLEANED_UP);
        KafkaProbe.signal("life-1", restarted, "crm", WorkerSignal.CLEANED_UP);
        awaitStatus("life-1", "404");

    }

    @Test
    void aFailedDatabaseFailsTheJobWithItsErrorAndRestartRecovers() {
        createProfiles("fail");
        createJob("fail-1", "fail", List.of("one", "two")).then().statusCode(200);
        actionWithoutPreflight("fail-1", "start").then().statusCode(200);
        long run = runEpoch("fail-1");
        KafkaProbe.signal("fail-1", run, "one", WorkerSignal.DUMP_STARTED);
        KafkaProbe.signal("fail-1", run, "two", WorkerSignal.DUMP_STARTED);
        awaitStatus("fail-1", "RUNNING/FULL_DUMP");
        KafkaProbe.send(KafkaProbe.TOPICS.progress(), "fail-1", Json.write(
                dms.common.messages.WorkerEvent.signal("fail-1", run, "two", WorkerSignal.FAILED, "e2e").withError("table public.t: disk full")));
        awaitStatus("fail-1", "FAILED/FULL_DUMP");
        job("fail-1").then().body("error.message", containsString("disk full")).body("error.message", containsString("two"))
                .body("allowedActions", containsInAnyOrder("EDIT", "STOP", "RESTART", "DELETE"));
        // Failure stays where it happens: only two's stream is told to stop (docs/state-machine.md).
        KafkaProbe.await(KafkaProbe.TOPICS.cdcControl(), r -> r.key().equals("fail-1/two") && r.value() != null
                && r.value().contains("\"STOP\""), Duration.ofSeconds(10));
        assertTrue(KafkaProbe.readAll(KafkaProbe.TOPICS.cdcControl()).stream()
                .noneMatch(r -> r.key().equals("fail-1/one") && r.value() != null && r.value().contains("\"STOP\"")), "one goes on");
        actionWithoutPreflight("fail-1", "restart").then().statusCode(200);
        job("fail-1").then().body("error", nullValue());
        assertTrue(KafkaProbe.readAll(KafkaProbe.TOPICS.dumpTasks()).stream()
                .anyMatch(r -> r.key().equals("fail-1/two") && r.value().contains(DumpTask.Kind.PREPARE_DATABASE.name())
                        && r.value().contains("\"purgeDestination\":true")));
    }

    /**
     * A small database can be dumped whole (DUMP_COMPLETED) before another one of the job is even
     * prepared: the job still leaves STARTING, and that database's stream starts.
     */
    @Test
    void aDatabaseDumpedBeforeAnotherIsPreparedDoesNotHoldTheJobInStarting() throws Exception {
        createProfiles("race");
        createJob("race-1", "race", List.of("small", "big")).then().statusCode(200);
        actionWithoutPreflight("race-1", "start").then().statusCode(200);
        long run = runEpoch("race-1");
        KafkaProbe.signal("race-1", run, "small", WorkerSignal.DUMP_STARTED);
        KafkaProbe.signal("race-1", run, "small", WorkerSignal.DUMP_COMPLETED);
        KafkaProbe.sleep(500);
        assertEquals("STARTING", status("race-1"), "big is not prepared yet");

        KafkaProbe.signal("race-1", run, "big", WorkerSignal.DUMP_STARTED);
        awaitStatus("race-1", "RUNNING/FULL_DUMP");
        KafkaProbe.await(KafkaProbe.TOPICS.cdcControl(), r -> r.key().equals("race-1/small") && r.value() != null
                && r.value().contains("\"RUN\""), Duration.ofSeconds(10));
        KafkaProbe.signal("race-1", run, "big", WorkerSignal.DUMP_COMPLETED);
        awaitStatus("race-1", "RUNNING/CDC");
        request().delete("/v1/migration-jobs/race-1").then().statusCode(200);
    }
}
