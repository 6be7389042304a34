package dms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.devstack.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * No stack: the alert rules shipped in prometheus/rules are valid ({@code promtool check rules}),
 * their unit tests in prometheus/rules-tests pass ({@code promtool test rules}), every alert has a
 * test that expects it to fire, and every DMS metric they read is documented. promtool comes with
 * Debian's {@code prometheus} package (.ci/run installs it); without it the promtool checks are
 * skipped, saying so.
 */
class AlertRulesTest {

    private static final Pattern METRIC = Pattern.compile("\\bdms_[a-z_]+");
    private final Path root = RepoRoot.find();

    @Test
    void promtoolChecksTheRulesAndRunsTheirTests() throws Exception {
        Optional<Path> promtool = promtool();
        Assumptions.assumeTrue(promtool.isPresent(),
                "SKIPPED: no promtool (apt-get install prometheus, or set PROMTOOL_BIN): the alert rules are not checked");
        for (Path rules : files("prometheus/rules")) {
            run(promtool.get(), "check", "rules", rules.toString());
        }
        List<Path> tests = files("prometheus/rules-tests");
        assertFalse(tests.isEmpty(), "prometheus/rules-tests holds the rules' tests");
        for (Path test : tests) {
            String out = run(promtool.get(), "test", "rules", test.toString());
            assertTrue(out.contains("SUCCESS"), out);
        }
    }

    @Test
    void everyAlertHasATestThatExpectsItToFire() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (Path file : files("prometheus/rules")) {
            for (Map<String, Object> group : list(yaml(file).get("groups"))) {
                for (Map<String, Object> rule : list(group.get("rules"))) {
                    alerts.add(String.valueOf(rule.get("alert")));
                }
            }
        }
        assertTrue(alerts.size() >= 6, "the alerts: " + alerts);
        Set<String> firing = new TreeSet<>();
        for (Path file : files("prometheus/rules-tests")) {
            for (Map<String, Object> test : list(yaml(file).get("tests"))) {
                for (Map<String, Object> check : list(test.get("alert_rule_test"))) {
                    if (!list(check.get("exp_alerts")).isEmpty()) {
                        firing.add(String.valueOf(check.get("alertname")));
                    }
                }
            }
        }
        Set<String> untested = new TreeSet<>(alerts);
        untested.removeAll(firing);
        assertEquals(Set.of(), untested, "alerts no test expects to fire");
    }

    @Test
    void everyMetricTheAlertsReadIsDocumented() throws IOException {
        String docs = Files.readString(root.resolve("docs/observability.md"));
        Set<String> missing = new TreeSet<>();
        for (Path file : files("prometheus/rules")) {
            Matcher m = METRIC.matcher(Files.readString(file));
            while (m.find()) {
                if (!docs.contains("`" + m.group() + "`")) {
                    missing.add(m.group() + " (" + file.getFileName() + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, "not in docs/observability.md");
    }

    /** The metric names the alert rules read (for ObservabilityTest: each must exist in a real run). */
    static Set<String> metricsOfTheRules(Path root) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(root.resolve("prometheus/rules"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                Matcher m = METRIC.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    private List<Path> files(String dir) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(dir))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static Optional<Path> promtool() {
        String configured = System.getenv("PROMTOOL_BIN");
        Stream<Path> candidates = configured != null ? Stream.of(Path.of(configured))
                : Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(d -> Path.of(d, "promtool")),
                        Stream.of(Path.of("/usr/bin/promtool")));
        return candidates.filter(Files::isExecutable).findFirst();
    }

    private static String run(Path promtool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " did not end");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }
}
