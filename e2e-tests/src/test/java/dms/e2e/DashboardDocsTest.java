package dms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dms.devstack.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No stack: the dashboards' metrics are the ones docs/observability.md describes, their
 * datasource is a variable (any Prometheus datasource of the Grafana that imports them), never a fixed uid,
 * job events are annotations, lag and retained WAL have thresholds at the alerts' levels.
 */
class DashboardDocsTest {

    private static final Pattern METRIC = Pattern.compile("\\bdms_[a-z_]+");
    /** What Prometheus adds to a timer's or counter's name. */
    private static final Pattern SUFFIX = Pattern.compile("_(count|sum|max|bucket)$");

    @Test
    void everyMetricOfTheDashboardsIsDocumented() throws Exception {
        Path root = RepoRoot.find();
        String docs = Files.readString(root.resolve("docs/observability.md"));
        DashboardQueries dashboards = DashboardQueries.read(root.resolve("grafana/dashboards"),
                Map.of("job", "j", "database", "d", "__rate_interval", "1m", "__range", "1h"));
        assertEquals(2, dashboards.dashboards());
        Set<String> missing = new TreeSet<>();
        List<DashboardQueries.Query> queries = new ArrayList<>(dashboards.panels());
        queries.addAll(dashboards.annotations());
        for (DashboardQueries.Query q : queries) {
            Matcher m = METRIC.matcher(q.promql());
            while (m.find()) {
                String name = SUFFIX.matcher(m.group()).replaceAll("");
                if (!docs.contains("`" + name + "`")) {
                    missing.add(name + " (" + q.where() + ")");
                }
            }
        }
        assertTrue(missing.isEmpty(), "not in docs/observability.md: " + missing);
    }

    @Test
    void theDatasourceIsAVariableAndJobEventsAreAnnotations() throws Exception {
        DashboardQueries dashboards = DashboardQueries.read(RepoRoot.find().resolve("grafana/dashboards"),
                Map.of("job", "j", "database", "d", "__rate_interval", "1m", "__range", "1h"));
        assertEquals(List.of(), dashboards.withoutDatasourceVariable(), "dashboards without a $datasource variable");
        assertEquals(List.of(), dashboards.fixedDatasources(), "datasources named by a fixed uid");
        List<DashboardQueries.Query> annotations = dashboards.annotations();
        assertEquals(4, annotations.size(), "each dashboard marks the jobs' state changes and events: " + annotations);
        for (String dashboard : List.of("dms-fleet.json", "dms-job.json")) {
            assertTrue(annotations.stream().anyMatch(a -> a.where().startsWith(dashboard) && a.promql().contains("dms_job_events_total")
                    && a.labels().contains("type")), dashboard + ": the job events, titled with their type: " + annotations);
        }
    }

    /** Lag and retained WAL are drawn against the alert rules' levels; the job dashboard shows each table's progress. */
    @Test
    void lagAndWalHaveThresholdsAndTablesTheirProgress() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path dir = RepoRoot.find().resolve("grafana/dashboards");
        for (String file : List.of("dms-fleet.json", "dms-job.json")) {
            JsonNode dashboard = json.readTree(dir.resolve(file).toFile());
            int lag = 0;
            int wal = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                String exprs = panel.path("targets").findValuesAsText("expr").toString();
                boolean lagPanel = exprs.contains("dms_cdc_lag_seconds");
                boolean walPanel = exprs.contains("dms_slot_retained_wal_bytes");
                if (!lagPanel && !walPanel) {
                    continue;
                }
                JsonNode defaults = panel.path("fieldConfig").path("defaults");
                List<Double> levels = new ArrayList<>();
                defaults.path("thresholds").path("steps").forEach(step -> {
                    if (step.path("value").isNumber()) {
                        levels.add(step.path("value").asDouble());
                    }
                });
                String where = file + " / " + panel.path("title").asText();
                // The alert rules' levels: DmsReplicationLagHigh (300 s), DmsRetainedWalHigh (10 GiB).
                assertTrue(levels.contains(lagPanel ? 300.0 : 10.0 * 1024 * 1024 * 1024), where + ": thresholds " + levels);
                if (panel.path("type").asText().equals("timeseries")) {
                    assertNotEquals("off", defaults.path("custom").path("thresholdsStyle").path("mode").asText("off"),
                            where + ": a time series draws its thresholds");
                }
                lag += lagPanel ? 1 : 0;
                wal += walPanel ? 1 : 0;
            }
            assertTrue(lag > 0 && wal > 0, file + ": a lag and a retained WAL panel");
            assertTrue(dashboard.path("panels").findValuesAsText("expr").stream().anyMatch(e -> e.contains("dms_dump_table_copied_estimated_bytes"))
                    || file.equals("dms-fleet.json"), file + ": progress per table");
        }
    }
}
