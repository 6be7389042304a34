package dms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * No stack: the dashboards' metrics are the ones docs/observability.md describes, and their
 * datasource is a variable (any Prometheus datasource of the Grafana that imports them), never a fixed uid.
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
        assertEquals(2, dashboards.annotations().size(), "each dashboard marks the jobs' state changes: " + dashboards.annotations());
    }
}
