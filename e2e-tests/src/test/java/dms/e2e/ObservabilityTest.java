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
 * value, every annotation query must find this run's state changes and job events (with the labels
 * its title names), and every variable must
 * offer this run's job and database. The metrics a user reads first must say what happened
 * (rows copied, changes applied), and every service's readiness must include a Kafka check that
 * is UP. The project's alert rules are loaded: each evaluates without error and every DMS metric
 * it reads exists. The scrape config is a plain one (no honor_labels): the labels must fit it.
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
        prometheus = PrometheusServer.start(dir, targets,
                List.of(TestStack.get().repoRoot().resolve("prometheus/rules").toAbsolutePath() + "/*.yml"));

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
                assertEquals(CHANGES, prometheus.value("sum(dms_cdc_changes_applied_total{migration_job=\"" + JOB + "\"})"),
                        "changes applied"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertEquals(ROWS, prometheus.value("sum(dms_dump_copied_rows_total{migration_job=\"" + JOB + "\"})"), "rows copied");
            assertEquals(2.0, prometheus.value("sum(dms_dump_tables_copied{migration_job=\"" + JOB + "\"})"), "tables copied");
            assertEquals(1.0, prometheus.value("dms_job_info{migration_job=\"" + JOB + "\", state=\"RUNNING\", phase=\"CDC\"}"), "job info");
        });
        // Every consumer of every service reports its lag (a number, not NaN).
        for (String consumer : List.of("dms-orchestrator", "job-api-projection", "dms-dump-worker", "dump-worker-control",
                "dms-cdc-worker")) {
            double lag = prometheus.value("max(dms_kafka_consumer_lag_records{consumer=\"" + consumer + "\"})");
            assertTrue(lag >= 0, "lag of " + consumer + ": " + lag);
        }

        DashboardQueries dashboards = DashboardQueries.read(TestStack.get().repoRoot().resolve("grafana/dashboards"),
                Map.of("job", JOB, "database", DB, "__rate_interval", "15s", "__range", "15m"));
        assertEquals(2, dashboards.dashboards(), "grafana/dashboards holds the fleet and the job dashboards");
        // The orchestrator's job gauges and task counters come with its next refresh (every 5 s), and increase() needs two
        // samples: a job that reaches CDC within one refresh may have a series one scrape old. Ask again for a while.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> failures = dashboardFailures(dashboards);
            assertTrue(failures.isEmpty(), failures.size() + " of " + dashboards.panels().size()
                    + " panel queries, annotations and variables fail:\n" + String.join("\n", failures));
        });

        alertRulesEvaluateOnTheRealMetrics();
        stoppedJobStillShowsItsRetainedWal();
    }

    /** What fails of every panel query, annotation and variable of the dashboards, with this run's job and database. */
    private static List<String> dashboardFailures(DashboardQueries dashboards) throws Exception {
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
        for (DashboardQueries.Query q : dashboards.annotations()) {
            try {
                failures.addAll(annotationFailures(q, prometheus.queryRange(q.promql(), Duration.ofMinutes(10)).path("result")));
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
        return failures;
    }

    /**
     * An annotation must mark this run: some series, each with the labels its title and tags name (else
     * Grafana draws a blank title); the job events' must include the run's creation and status changes.
     */
    private static List<String> annotationFailures(DashboardQueries.Query q, JsonNode result) {
        List<String> failures = new ArrayList<>();
        if (result.isEmpty()) {
            failures.add(q.where() + ": no event of this run in the last 10 minutes for " + q.promql());
        }
        List<String> types = new ArrayList<>();
        for (JsonNode series : result) {
            for (String label : q.labels()) {
                if (!series.path("metric").has(label)) {
                    failures.add(q.where() + ": a series without the label " + label + " its title names: " + series.path("metric"));
                }
            }
            types.add(series.path("metric").path("type").asText());
        }
        if (q.labels().contains("type") && !types.containsAll(List.of("CREATED", "STATUS_CHANGED", "WORKER_REPORT"))) {
            failures.add(q.where() + ": the run's CREATED, STATUS_CHANGED and WORKER_REPORT events are not all marked: " + types);
        }
        return failures;
    }

    /** Each rule evaluated without error, and every DMS metric the rules read is a series of this run. */
    private static void alertRulesEvaluateOnTheRealMetrics() throws Exception {
        List<String> failures = new ArrayList<>();
        int rules = 0;
        for (JsonNode group : prometheus.rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                if (!"ok".equals(rule.path("health").asText())) {
                    failures.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError").asText());
                }
            }
        }
        for (String metric : AlertRulesTest.metricsOfTheRules(TestStack.get().repoRoot())) {
            if (prometheus.query("count(" + metric + ")").path("result").isEmpty()) {
                failures.add("no series of " + metric + ", which an alert reads");
            }
        }
        assertTrue(rules >= 6, "the project's alert rules are loaded: " + rules);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The slot keeps WAL while the job is stopped: its gauge stays (what an alert and the dashboards read). */
    private static void stoppedJobStillShowsItsRetainedWal() {
        action(JOB, "stop").then().statusCode(200);
        awaitStatus(JOB, "STOPPED/CDC", 60);
        long stoppedAt = System.currentTimeMillis() / 1000;
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode result = prometheus.query("timestamp(dms_slot_retained_wal_bytes{migration_job=\"" + JOB + "\"})").path("result");
            assertEquals(1, result.size(), "retained WAL of the stopped job: " + result);
            assertTrue(result.get(0).path("value").get(1).asDouble() > stoppedAt, "a sample scraped after the stop: " + result);
            assertEquals(0.0, prometheus.value("dms_slot_invalidated{migration_job=\"" + JOB + "\"}"), "the slot is valid");
        });
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
