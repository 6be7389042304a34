package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.devstack.DmsService;
import dms.devstack.ServiceProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** kill -9 of the orchestrator and a restart of the API lose nothing. */
class CrashRecoveryTest {

    @org.junit.jupiter.api.BeforeAll
    static void noRealWorkers() {
        TestStack.withoutWorkers();
    }

    @Test
    void orchestratorKilledMidStreamLosesNoJobOperationOrEvent() {
        createProfiles("crash");
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            commands.add(Command.builder(CommandType.CREATE_JOB).requestedBy("e2e")
                    .job(new dms.common.messages.JobSpec("crash-" + i, null, "crash-src", "crash-dst", List.of("app"), null, null)).build());
            commands.add(Command.builder(CommandType.START).requestedBy("e2e").jobId("crash-" + i).skipValidation(true).build());
        }
        ServiceProcess orchestrator = TestStack.service(DmsService.JOB_ORCHESTRATOR);
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            KafkaProbe.send(KafkaProbe.TOPICS.commands(), c.kafkaKey(), Json.write(c));
            if (i == 30) {
                orchestrator.kill();
            }
        }
        assertFalse(orchestrator.isAlive());
        orchestrator.restart();

        for (int i = 0; i < 40; i++) {
            awaitStatus("crash-" + i, "STARTING");
        }
        Set<String> operations = KafkaProbe.readAll(KafkaProbe.TOPICS.operations()).stream()
                .map(r -> r.key()).collect(Collectors.toSet());
        for (Command c : commands) {
            assertTrue(operations.contains("operations/" + c.commandId()), "operation of " + c.type() + " " + c.kafkaKey());
        }
        for (int i = 0; i < 40; i++) {
            String job = "crash-" + i;
            List<String> types = request().get("/v1/migration-jobs/" + job + "/events").then().statusCode(200)
                    .extract().jsonPath().getList("events.type");
            assertEquals(List.of("CREATED", "STATUS_CHANGED"), types, "events of " + job);
        }
    }

    @Test
    void apiRestartedRebuildsItsProjectionComplete() {
        createProfiles("proj");
        for (int i = 0; i < 5; i++) {
            createJob("proj-" + i, "proj", List.of("app")).then().statusCode(200);
        }
        actionWithoutPreflight("proj-0", "start").then().statusCode(200);
        String before = request().get("/v1/migration-jobs").then().statusCode(200).extract().asString();
        String profilesBefore = request().get("/v1/connection-profiles").then().statusCode(200).extract().asString();
        String eventsBefore = request().get("/v1/migration-jobs/proj-0/events").then().statusCode(200).extract().asString();

        ServiceProcess api = TestStack.service(DmsService.JOB_API);
        api.kill();
        api.restart();

        assertEquals(Json.tree(parse(before)), Json.tree(parse(request().get("/v1/migration-jobs").then().statusCode(200).extract().asString())));
        assertEquals(Json.tree(parse(profilesBefore)), Json.tree(parse(request().get("/v1/connection-profiles").then().statusCode(200).extract().asString())));
        assertEquals(Json.tree(parse(eventsBefore)), Json.tree(parse(request().get("/v1/migration-jobs/proj-0/events").then().statusCode(200).extract().asString())));
    }

    private static Object parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
