package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes the four services every second while a small job goes through
 * its full dump into CDC with a few writes; then every query of every Grafana dashboard
 * panel, with the job and database of this run as the variables, must return series with a
 * value, and every variable must offer this run's job and database. The metrics a user
 * reads first must say what happened (rows copied, changes applied), and every service's
 * readiness must include a Kafka check that is UP.
 */
class ObservabilityTest {

    private static final String JOB = "obs-1";
    private static final String DB = "obs_shop";
    private static final long ROWS = 2000 + 5000;
    /** 200 inserts, 100 updates and 50 deletes after the hand-over to CDC. */
    private static final long CHANGES = 350;

    private static PrometheusServer prometheus;

    @BeforeAll
    static void stackWithPrometheus() throws Exception {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("job-api", "127.0.0.1:" + TestStack.service(DmsService.JOB_API).httpPort());
        targets.put("job-orchestrator", "127.0.0.1:" + TestStack.service(DmsService.JOB_ORCHESTRATOR).httpPort());
        targets.put("dump-worker", "127.0.0.1:" + TestStack.dumpWorker().httpPort());
        targets.put("cdc-worker", "127.0.0.1:" + TestStack.cdcWorker().httpPort());
        Path dir = Files.createTempDirectory("dms-prometheus-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        prometheus = PrometheusServer.start(dir, targets);

        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        source.execute(DB, """
                CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2));
                CREATE TABLE orders (id bigserial PRIMARY KEY, item_id int NOT NULL REFERENCES items(id), qty int NOT NULL);
                INSERT INTO items SELECT i, 'item ' || i, i / 10.0 FROM generate_series(1, 2000) i;
                INSERT INTO orders (item_id, qty) SELECT 1 + i % 2000, i % 7 FROM generate_series(1, 5000) i;
                """);
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
        // The stream of this job must not keep working for the test classes after this one.
        action(JOB, "stop");
    }

    @Test
    void everyDashboardPanelShowsDataOfARealMigration() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.value("sum(up)") == 4.0);

        createProfiles("obs");
        createJob(JOB, "obs", List.of(DB)).then().statusCode(200);
        action(JOB, "start").then().statusCode(200);
        awaitStatus(JOB, "RUNNING/CDC", 120);
        TestStack.get().source().execute(DB, """
                INSERT INTO orders (item_id, qty) SELECT 1 + i, 1 FROM generate_series(1, 200) i;
                UPDATE items SET price = price + 1 WHERE id <= 100;
                DELETE FROM orders WHERE id <= 50;
                """);

        // What the dashboards add up must be what happened.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertEquals(CHANGES, prometheus.value("sum(dms_cdc_changes_applied{job=\"" + JOB + "\"})"), "changes applied"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertEquals(ROWS, prometheus.value("sum(dms_dump_copied_rows_total{job=\"" + JOB + "\"})"), "rows copied");
            assertEquals(2.0, prometheus.value("sum(dms_dump_tables_copied{job=\"" + JOB + "\"})"), "tables copied");
            assertEquals(1.0, prometheus.value("dms_job_info{job=\"" + JOB + "\", state=\"RUNNING\", phase=\"CDC\"}"), "job info");
        });
        // Every consumer of every service reports its lag (a number, not NaN).
        for (String consumer : List.of("dms-orchestrator", "job-api-projection", "dms-dump-worker", "dump-worker-job-view",
                "dms-cdc-worker")) {
            double lag = prometheus.value("max(dms_kafka_consumer_lag_records{consumer=\"" + consumer + "\"})");
            assertTrue(lag >= 0, "lag of " + consumer + ": " + lag);
        }

        DashboardQueries dashboards = DashboardQueries.read(TestStack.get().repoRoot().resolve("grafana/dashboards"),
                Map.of("job", JOB, "database", DB, "__rate_interval", "15s", "__range", "15m"));
        assertEquals(2, dashboards.dashboards(), "grafana/dashboards holds the fleet and the job dashboards");
        List<String> failures = new ArrayList<>();
        for (DashboardQueries.Query q : dashboards.panels()) {
            try {
                JsonNode result = prometheus.query(q.promql()).path("result");
                if (result.isEmpty()) {
                    failures.add(q.where() + ": no series for " + q.promql());
                } else if (allNaN(result)) {
                    failures.add(q.where() + ": only NaN for " + q.promql());
                }
            } catch (PrometheusServer.PromQlException e) {
                failures.add(q.where() + ": " + e.getMessage());
            }
        }
        for (DashboardQueries.LabelValues v : dashboards.variables()) {
            JsonNode series = prometheus.series(v.selector());
            boolean offered = false;
            for (JsonNode s : series) {
                String value = s.path(v.label()).asText();
                offered |= value.equals(JOB) || value.equals(DB);
            }
            if (!offered) {
                failures.add(v.where() + ": label_values(" + v.selector() + ", " + v.label() + ") does not offer this run's value");
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + dashboards.panels().size()
                + " panel queries and variables fail:\n" + String.join("\n", failures));
    }

    @Test
    void everyServiceIsReadyWithKafkaReachable() {
        for (ServiceProcess service : List.of(TestStack.service(DmsService.JOB_API), TestStack.service(DmsService.JOB_ORCHESTRATOR),
                TestStack.dumpWorker(), TestStack.cdcWorker())) {
            JsonPath health = RestAssured.given().baseUri(service.url()).get("/q/health/ready")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("UP", health.getString("checks.find { it.name == 'kafka' }.status"), service + ": " + health.prettify());
            if (service.name().equals(TestStack.service(DmsService.JOB_ORCHESTRATOR).name())) {
                assertEquals("UP", health.getString("checks.find { it.name.contains('Database') }.status"),
                        "the control database's check: " + health.prettify());
            }
        }
    }

    private static boolean allNaN(JsonNode result) {
        for (JsonNode series : result) {
            JsonNode value = series.path("value");
            if (!value.isMissingNode() && !"NaN".equals(value.get(1).asText())) {
                return false;
            }
        }
        return true;
    }
}
