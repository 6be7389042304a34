package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import static dms.common.sql.SqlIdentifiers.quote;

import dms.common.verify.TableChecksum;
import dms.devstack.DevStack;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Profiles with a distinctive password drive a migration to COMPLETED (and one with a wrong
 * password fails); then every place the system writes is searched for the passwords, in clear
 * and in base64: every record of every dms.* topic, every column of every row of the control
 * database, each service's log, each /q/metrics, the API's answers and the job events.
 */
class SecretsNeverLeakTest {

    private static final String ROLE = "leak_probe";
    private static final String PASSWORD = "Leak-Probe-7Q2xZ9-pw";
    private static final String WRONG_PASSWORD = "Wrong-Probe-4K8vW1-pw";
    private static final String DB = "leak_shop";

    private final List<Response> answers = new ArrayList<>();

    @Test
    void thePasswordIsNowhereAfterAMigration() throws Exception {
        DevStack stack = TestStack.get();
        List<ServiceProcess> workers = List.of(TestStack.dumpWorker(), TestStack.cdcWorker());
        for (PgCluster cluster : List.of(stack.source(), stack.destination())) {
            cluster.execute("postgres", "CREATE ROLE " + ROLE + " LOGIN SUPERUSER REPLICATION PASSWORD '" + PASSWORD + "'");
        }
        stack.source().createDatabase(DB);
        stack.source().execute(DB, """
                CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
                INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 500) i;
                """);

        keep(profile("leak-src", stack.source(), PASSWORD)).then().statusCode(200);
        keep(profile("leak-dst", stack.destination(), PASSWORD)).then().statusCode(200);
        keep(profile("leak-bad", stack.source(), WRONG_PASSWORD)).then().statusCode(200);
        keep(createJob("leak-1", "leak", List.of(DB))).then().statusCode(200);
        keep(action("leak-1", "start")).then().statusCode(200);
        awaitStatus("leak-1", "RUNNING/CDC", 120);
        stack.source().execute(DB, "INSERT INTO items SELECT i, 'late ' || i FROM generate_series(501, 600) i");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection src = stack.source().connect(DB); Connection dst = stack.destination().connect(DB)) {
                assertEquals(TableChecksum.of(src, "public", "items", List.of("id")), TableChecksum.of(dst, "public", "items", List.of("id")));
            }
        });
        keep(action("leak-1", "promote")).then().statusCode(200);
        awaitStatus("leak-1", "COMPLETED", 120);

        // A wrong password: the source refuses it, and the failure must not quote it.
        keep(request().body(Map.of("id", "leak-2", "source", "leak-bad", "destination", "leak-dst"))
                .post("/v1/migration-jobs")).then().statusCode(200);
        Response failedStart = keep(action("leak-2", "start"));
        assertTrue(failedStart.statusCode() >= 400 || job("leak-2").<String>path("state").equals("STARTING"),
                "the start with a wrong password is refused or fails: " + failedStart.asString());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !"STARTING".equals(job("leak-2").<String>path("state")));

        for (String path : List.of("/v1/connection-profiles", "/v1/connection-profiles/leak-src", "/v1/migration-jobs?showDeleted=true",
                "/v1/migration-jobs/leak-1", "/v1/migration-jobs/leak-1/events", "/v1/migration-jobs/leak-2",
                "/v1/migration-jobs/leak-2/events")) {
            keep(request().get(path)).then().statusCode(200);
        }
        String events = request().get("/v1/migration-jobs/leak-2/events").asString();
        assertTrue(events.contains("password") || events.contains("authentication") || events.contains("FAILED"),
                "the failure is explained in the events: " + events);

        SecretSearch search = new SecretSearch(List.of(PASSWORD, WRONG_PASSWORD));
        for (Response r : answers) {
            search.search("an API answer " + r.statusCode() + " " + r.getHeaders(), r.asString());
        }
        searchTopics(search, stack);
        searchControlDatabase(search, stack);
        List<ServiceProcess> services = new ArrayList<>(stack.services().values());
        services.addAll(workers);
        for (ServiceProcess service : services) {
            search.search("the log of " + service.name(), Files.readString(service.logFile(), StandardCharsets.UTF_8));
            search.search("/q/metrics of " + service.name(), request().baseUri(service.url()).get("/q/metrics").asString());
        }
        assertEquals(List.of(), search.hits(), "secrets found in " + search.placesSearched() + " places searched");
        assertTrue(search.placesSearched() > 150, "searched " + search.placesSearched() + " places");
    }

    private Response keep(Response response) {
        answers.add(response);
        return response;
    }

    private static Response profile(String id, PgCluster cluster, String password) {
        return request().body(Map.of("id", id, "host", "127.0.0.1", "port", cluster.port(), "username", ROLE,
                "password", password, "sslMode", "disable")).post("/v1/connection-profiles");
    }

    private static void searchTopics(SecretSearch search, DevStack stack) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        List<String> topics;
        try (Admin admin = Admin.create(p)) {
            topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith("dms.")).sorted().toList();
        }
        assertTrue(topics.contains(KafkaProbe.TOPICS.commands()), "topics: " + topics);
        for (String topic : topics) {
            for (ConsumerRecord<String, String> r : KafkaProbe.readAll(topic)) {
                String where = topic + " partition " + r.partition() + " offset " + r.offset();
                search.search(where + " key", r.key());
                search.search(where + " value", r.value());
                for (Header h : r.headers()) {
                    search.search(where + " header " + h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Every column of every row, cast to text: what a dump of the control database would show. */
    private static void searchControlDatabase(SecretSearch search, DevStack stack) throws Exception {
        try (Connection c = stack.control().connect(DevStack.CONTROL_DATABASE)) {
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("""
                    SELECT table_schema, table_name FROM information_schema.tables
                    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            assertFalse(tables.isEmpty(), "the control database has tables");
            for (String[] t : tables) {
                String name = quote(t[0]) + "." + quote(t[1]);
                try (PreparedStatement ps = c.prepareStatement("SELECT row_to_json(r)::text FROM " + name + " r");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        search.search("control table " + name, rs.getString(1));
                    }
                }
            }
        }
    }
}
