package dms.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL of the Grafana dashboards under grafana/dashboards: every panel's targets and
 * every query variable, with Grafana's variables replaced by the values a user would pick.
 */
final class DashboardQueries {

    /** One panel target (or a variable's query), named for the failure message. */
    record Query(String where, String promql) {}

    /** A variable's {@code label_values(selector, label)}. */
    record LabelValues(String where, String selector, String label) {}

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

    private final List<Query> panels = new ArrayList<>();
    private final List<LabelValues> variables = new ArrayList<>();
    private final int dashboards;

    private DashboardQueries(int dashboards) {
        this.dashboards = dashboards;
    }

    /** @param values Grafana variable name (without $) to its value, longest names replaced first */
    static DashboardQueries read(Path dir, Map<String, String> values) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        DashboardQueries out = new DashboardQueries(files.size());
        for (Path file : files) {
            JsonNode dashboard = json.readTree(file.toFile());
            String name = file.getFileName().toString();
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    out.panels.add(new Query(name + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                            substitute(target.path("expr").asText(), values)));
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                        : variable.path("query").asText();
                Matcher m = LABEL_VALUES.matcher(query);
                if (!m.matches()) {
                    throw new IllegalStateException(name + ": variable " + variable.path("name").asText()
                            + " is not a label_values query: " + query);
                }
                out.variables.add(new LabelValues(name + " / $" + variable.path("name").asText(),
                        substitute(m.group(1), values), m.group(2)));
            }
        }
        return out;
    }

    static String substitute(String promql, Map<String, String> values) {
        String out = promql;
        List<String> names = values.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList();
        for (String name : names) {
            out = out.replace("$" + name, values.get(name)).replace("${" + name + "}", values.get(name));
        }
        if (out.contains("$")) {
            throw new IllegalStateException("a Grafana variable the test does not know: " + out);
        }
        return out;
    }

    List<Query> panels() {
        return panels;
    }

    List<LabelValues> variables() {
        return variables;
    }

    int dashboards() {
        return dashboards;
    }
}
