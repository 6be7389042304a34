package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.DevStack;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A password rotated on the source server while a job streams: PATCH the profile with the new
 * one, and the job goes on without being recreated (its stream reconnects with it; a data check
 * connects with it), while the new password is never shown. Bad edits are 400 per field, an
 * unknown profile 404.
 */
class ProfileEditTest {

    private static final String ROLE = "edit_probe";
    private static final String OLD_PASSWORD = "Edit-Old-3Jd8Qm-pw";
    private static final String NEW_PASSWORD = "Edit-New-9Vx2Lp-pw";
    private static final String DB = "edit_shop";
    private static final String JOB = "edit-1";

    private final List<Response> answers = new ArrayList<>();

    @Test
    void aPasswordChangedOnTheServerIsPatchedAndTheJobGoesOn() throws Exception {
        DevStack stack = TestStack.get();
        ServiceProcess cdcWorker = TestStack.cdcWorker();
        TestStack.dumpWorker();
        for (PgCluster cluster : List.of(stack.source(), stack.destination())) {
            cluster.execute("postgres", "CREATE ROLE " + ROLE + " LOGIN SUPERUSER REPLICATION PASSWORD '" + OLD_PASSWORD + "'");
        }
        stack.source().createDatabase(DB);
        stack.source().execute(DB, """
                CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
                INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 300) i;
                """);
        keep(profile("edit-src", stack.source())).then().statusCode(200);
        keep(profile("edit-dst", stack.destination())).then().statusCode(200);
        keep(createJob(JOB, "edit", List.of(DB))).then().statusCode(200);
        keep(action(JOB, "start")).then().statusCode(200);
        awaitStatus(JOB, "RUNNING/CDC", 180);
        // A change applied: the stream is connected (with the old password) before the password changes.
        stack.source().execute(DB, "INSERT INTO items SELECT i, 'streamed ' || i FROM generate_series(301, 310) i");
        awaitSameItems(stack);

        // The source's password changes; sessions already open keep working, new ones need the new password.
        stack.source().execute("postgres", "ALTER ROLE " + ROLE + " PASSWORD '" + NEW_PASSWORD + "'");
        Response patched = keep(request().body(Map.of("password", NEW_PASSWORD)).patch("/v1/connection-profiles/edit-src"));
        patched.then().statusCode(200);
        assertEquals("UPDATE_CONNECTION_PROFILE", patched.path("metadata.type"));
        assertNotNull(patched.path("response.updateTime"), patched.asString());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(cdcWorker.logFile(), StandardCharsets.UTF_8)
                .contains("CDC " + JOB + "/" + DB + ": a connection profile was edited; reconnecting with it"));
        // No session of the old password survives: whatever streams from now on logged in with the new one.
        stack.source().execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");

        stack.source().execute(DB, "INSERT INTO items SELECT i, 'after the edit ' || i FROM generate_series(311, 400) i");
        awaitSameItems(stack);
        assertEquals("RUNNING/CDC", status(JOB));
        JsonPath check = verifyData(JOB);
        assertEquals(1, check.getInt("tablesEqual"), check.prettify());
        assertEquals(0, check.getInt("tablesDiffering"), check.prettify());

        badEditsAreRefusedPerField();
        theNewPasswordIsNeverShown(stack, cdcWorker);
    }

    private void badEditsAreRefusedPerField() {
        Response bad = keep(request().body(Map.of("host", "db/postgres?sslmode=disable", "port", 0, "sslRootCert", "not PEM",
                "password", NEW_PASSWORD)).patch("/v1/connection-profiles/edit-src"));
        bad.then().statusCode(400);
        List<String> fields = bad.jsonPath().getList("errors.field");
        assertEquals(List.of("host", "port", "sslRootCert"), fields, bad.asString());
        keep(request().body(Map.of()).patch("/v1/connection-profiles/edit-src")).then().statusCode(400);
        keep(request().body(Map.of("id", "other")).patch("/v1/connection-profiles/edit-src")).then().statusCode(400);
        keep(request().body(Map.of("password", NEW_PASSWORD)).patch("/v1/connection-profiles/edit-none")).then().statusCode(404);
    }

    private void theNewPasswordIsNeverShown(DevStack stack, ServiceProcess cdcWorker) throws Exception {
        for (String path : List.of("/v1/connection-profiles", "/v1/connection-profiles/edit-src", "/v1/migration-jobs/" + JOB,
                "/v1/migration-jobs/" + JOB + "/events")) {
            keep(request().get(path)).then().statusCode(200);
        }
        Response read = request().get("/v1/connection-profiles/edit-src");
        assertNull(read.path("password"));
        assertNull(read.path("encryptedPassword"));
        assertNotNull(read.path("updateTime"));

        SecretSearch search = new SecretSearch(List.of(NEW_PASSWORD, OLD_PASSWORD));
        for (Response r : answers) {
            search.search("an API answer " + r.statusCode(), r.asString());
        }
        for (String topic : List.of(KafkaProbe.TOPICS.commands(), KafkaProbe.TOPICS.commandsDlq(), KafkaProbe.TOPICS.operations(),
                KafkaProbe.TOPICS.profiles(), KafkaProbe.TOPICS.cdcControl(), KafkaProbe.TOPICS.dumpTasks())) {
            for (ConsumerRecord<String, String> r : KafkaProbe.readAll(topic)) {
                search.search(topic + " offset " + r.offset(), r.value());
            }
        }
        List<ServiceProcess> services = new ArrayList<>(stack.services().values());
        services.add(cdcWorker);
        services.add(TestStack.dumpWorker());
        for (ServiceProcess service : services) {
            search.search("the log of " + service.name(), Files.readString(service.logFile(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(), search.hits());
    }

    private static void awaitSameItems(DevStack stack) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection src = stack.source().connect(DB); Connection dst = stack.destination().connect(DB)) {
                assertEquals(TableChecksum.of(src, "public", "items", List.of("id")), TableChecksum.of(dst, "public", "items", List.of("id")));
            }
        });
    }

    private Response keep(Response response) {
        answers.add(response);
        return response;
    }

    private static Response profile(String id, PgCluster cluster) {
        return request().body(Map.of("id", id, "host", "127.0.0.1", "port", cluster.port(), "username", ROLE,
                "password", OLD_PASSWORD, "sslMode", "disable")).post("/v1/connection-profiles");
    }
}
