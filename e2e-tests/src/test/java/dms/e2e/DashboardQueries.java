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
 * The PromQL of the Grafana dashboards under grafana/dashboards: every panel's targets, every
 * annotation query and every query variable, with Grafana's variables replaced by the values a
 * user would pick; and the datasources the dashboards name.
 */
final class DashboardQueries {

    /**
     * One panel target (or a variable's query), named for the failure message; an annotation's also
     * with the labels its title and tags name ({@code {{type}}}), which its series must carry.
     */
    record Query(String where, String promql, List<String> labels) {
        Query(String where, String promql) {
            this(where, promql, List.of());
        }
    }

    private static final Pattern TITLE_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** A variable's {@code label_values(selector, label)}. */
    record LabelValues(String where, String selector, String label) {}

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

    private final List<Query> panels = new ArrayList<>();
    private final List<LabelValues> variables = new ArrayList<>();
    private final List<Query> annotations = new ArrayList<>();
    /** Where a datasource is named other than through the dashboard's datasource variable. */
    private final List<String> fixedDatasources = new ArrayList<>();
    private final List<String> withoutDatasourceVariable = new ArrayList<>();
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
            for (JsonNode annotation : dashboard.path("annotations").path("list")) {
                if (annotation.has("expr")) {
                    List<String> labels = new ArrayList<>();
                    Matcher title = TITLE_LABEL.matcher(annotation.path("titleFormat").asText());
                    while (title.find()) {
                        labels.add(title.group(1));
                    }
                    for (String tag : annotation.path("tagKeys").asText().split(",")) {
                        if (!tag.isBlank() && !labels.contains(tag.strip())) {
                            labels.add(tag.strip());
                        }
                    }
                    out.annotations.add(new Query(name + " / annotation " + annotation.path("name").asText(),
                            substitute(annotation.path("expr").asText(), values), List.copyOf(labels)));
                }
            }
            boolean datasourceVariable = false;
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("datasource")) {
                    datasourceVariable |= variable.path("name").asText().equals(DATASOURCE_VARIABLE)
                            && variable.path("query").asText().equals("prometheus");
                    continue;
                }
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
            if (!datasourceVariable) {
                out.withoutDatasourceVariable.add(name);
            }
            out.fixedDatasources.addAll(fixedDatasources(name, dashboard));
        }
        return out;
    }

    private static final String DATASOURCE_VARIABLE = "datasource";

    private static List<String> fixedDatasources(String where, JsonNode node) {
        List<String> fixed = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("datasource") && !e.getValue().path("uid").asText().equals("${" + DATASOURCE_VARIABLE + "}")) {
                    fixed.add(where + ": " + e.getValue());
                } else {
                    fixed.addAll(fixedDatasources(where, e.getValue()));
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> fixed.addAll(fixedDatasources(where, n)));
        }
        return fixed;
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

    List<Query> annotations() {
        return annotations;
    }

    /** Datasources named by a fixed uid instead of the {@code $datasource} variable (the dashboards must have none). */
    List<String> fixedDatasources() {
        return fixedDatasources;
    }

    /** Dashboards without a Prometheus {@code datasource} variable. */
    List<String> withoutDatasourceVariable() {
        return withoutDatasourceVariable;
    }

    int dashboards() {
        return dashboards;
    }
}
