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
 * unknown profile 404. A profile's databases are listed by the orchestrator, which holds its
 * password: those its user may connect to, with sizes and the jobs migrating them; a server that
 * cannot be reached, or refuses the password, is a 502 problem that never quotes the password.
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

    @Test
    void theDatabasesOfAProfileAreListed() {
        DevStack stack = TestStack.get();
        String role = "list_probe";
        String password = "List-7Kp2Wq-pw";
        stack.source().execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        stack.source().createDatabase("list_open");
        stack.source().createDatabase("list_closed");
        stack.source().execute("postgres", "REVOKE CONNECT ON DATABASE list_closed FROM PUBLIC");
        stack.source().execute("postgres", "CREATE DATABASE list_template IS_TEMPLATE true");
        request().body(Map.of("id", "list-src", "host", "127.0.0.1", "port", stack.source().port(), "username", role,
                "password", password, "sslMode", "disable")).post("/v1/connection-profiles").then().statusCode(200);
        createProfile("list-dst", stack.destination());
        createJob("list-1", "list", List.of("list_open")).then().statusCode(200);

        Response listed = keep(request().get("/v1/connection-profiles/list-src/databases"));
        listed.then().statusCode(200);
        assertTrue(listed.jsonPath().getBoolean("done"), listed.asString());
        assertEquals("LIST_DATABASES", listed.path("metadata.type"));
        assertEquals("list-src", listed.path("response.connectionProfile"));
        List<String> names = listed.jsonPath().getList("response.databases.name");
        assertTrue(names.containsAll(List.of("list_open", "postgres")), names.toString());
        for (String hidden : List.of("list_closed", "list_template", "template0", "template1")) {
            assertFalse(names.contains(hidden), hidden + " is not listed: " + names);
        }
        assertEquals(List.of("list-1"), listed.jsonPath().getList("response.databases.find { it.name == 'list_open' }.migrationJobs"));
        assertTrue(listed.jsonPath().getLong("response.databases.find { it.name == 'list_open' }.sizeBytes") > 0, listed.asString());
        assertTrue(listed.jsonPath().getBoolean("response.databases.find { it.name == 'postgres' }.maintenance"));
        assertFalse(listed.jsonPath().getBoolean("response.databases.find { it.name == 'list_open' }.maintenance"));
        // Its Operation can be read again, as any command's.
        request().get("/v1/" + listed.path("name")).then().statusCode(200);

        Response unknown = keep(request().get("/v1/connection-profiles/list-none/databases"));
        unknown.then().statusCode(404).contentType("application/problem+json");

        // A wrong password, then a server that is not there: 502, saying why, without the password.
        String wrong = "Wrong-4Hs9Tz-pw";
        request().body(Map.of("id", "list-bad", "host", "127.0.0.1", "port", stack.source().port(), "username", role,
                "password", wrong, "sslMode", "disable")).post("/v1/connection-profiles").then().statusCode(200);
        Response refused = keep(request().get("/v1/connection-profiles/list-bad/databases"));
        refused.then().statusCode(502).contentType("application/problem+json");
        assertEquals("https://dms.dev/problems/source-unavailable", refused.path("type"));
        assertEquals("UNAVAILABLE", refused.path("code"));
        assertTrue(refused.<String>path("detail").contains("password authentication failed"), refused.asString());
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            closedPort = free.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        request().body(Map.of("id", "list-down", "host", "127.0.0.1", "port", closedPort, "username", role,
                "password", password, "sslMode", "disable")).post("/v1/connection-profiles").then().statusCode(200);
        Response down = keep(request().get("/v1/connection-profiles/list-down/databases"));
        down.then().statusCode(502);
        assertTrue(down.<String>path("detail").contains("list-down (127.0.0.1:" + closedPort + ")"), down.asString());
        SecretSearch search = new SecretSearch(List.of(password, wrong));
        for (Response r : answers) {
            search.search("an API answer " + r.statusCode(), r.asString());
        }
        assertEquals(List.of(), search.hits());
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
