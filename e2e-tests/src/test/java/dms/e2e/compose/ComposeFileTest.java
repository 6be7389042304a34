package dms.e2e.compose;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.secret.SecretCipher;
import dms.devstack.DmsService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what can go wrong
 * without one: it parses; each of the four services is built from its module's Dockerfile
 * on the fast-jar and exposes, publishes, health-checks and is scraped on its
 * quarkus.http.port; every environment variable it is given sets a property the service
 * really reads; every file it mounts exists; the start order holds.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of(System.getProperty("dms.repo.root", "..")).toAbsolutePath().normalize();
    private static Map<String, Object> services;
    private static Map<String, Object> prometheus;

    @BeforeAll
    static void parse() throws IOException {
        services = map(yaml(ROOT.resolve("docker-compose.yml")).get("services"));
        prometheus = yaml(ROOT.resolve("prometheus/prometheus.yml"));
    }

    @Test
    void everyServiceIsBuiltFromItsModulesDockerfileOnTheFastJar() throws IOException {
        for (DmsService service : DmsService.values()) {
            String name = service.moduleName();
            Map<String, Object> s = service(name);
            assertEquals("./" + name, s.get("build"), name + " is built from its module folder");
            Path dockerfile = ROOT.resolve(name).resolve("Dockerfile");
            assertTrue(Files.isRegularFile(dockerfile), dockerfile + " exists");
            String text = Files.readString(dockerfile);
            assertTrue(text.contains("COPY target/quarkus-app/lib/ lib/") && text.contains("quarkus-run.jar"), name + ": the fast-jar");
            assertTrue(text.matches("(?s).*FROM eclipse-temurin:17-jre.*"), name + ": a JRE 17 base image");
        }
        String dump = Files.readString(ROOT.resolve("dump-worker/Dockerfile"));
        Matcher major = Pattern.compile("PG_CLIENT_MAJOR=(\\d+)").matcher(dump);
        assertTrue(major.find() && Integer.parseInt(major.group(1)) >= 17, "the dump-worker ships a recent pg_dump/pg_restore");
        assertTrue(dump.contains("postgresql-client-${PG_CLIENT_MAJOR}"));
    }

    @Test
    void portsAreEachServicesHttpPort() throws IOException {
        List<String> scraped = scrapeTargets();
        for (DmsService service : DmsService.values()) {
            String name = service.moduleName();
            int port = ServiceConfig.of(ROOT, name).httpPort();
            assertTrue(Files.readString(ROOT.resolve(name).resolve("Dockerfile")).contains("\nEXPOSE " + port + "\n"), name + " EXPOSE " + port);
            Map<String, Object> s = service(name);
            for (Object published : list(s.getOrDefault("ports", List.of()))) {
                assertTrue(String.valueOf(published).endsWith(":" + port), name + " publishes its port: " + published);
            }
            assertTrue(list(map(s.get("healthcheck")).get("test")).contains("http://localhost:" + port + "/q/health/ready"),
                    name + " health check on its readiness endpoint");
            assertTrue(scraped.contains(name + ":" + port + "/q/metrics"), "Prometheus scrapes " + name + ": " + scraped);
        }
        assertEquals(List.of("127.0.0.1:8080:8080"), service("job-api").get("ports"), "the API is reachable from the host");
    }

    @Test
    void everyVariableAServiceIsGivenIsAPropertyItReads() throws IOException {
        List<String> unread = new ArrayList<>();
        for (DmsService service : DmsService.values()) {
            String name = service.moduleName();
            ServiceConfig config = ServiceConfig.of(ROOT, name);
            Map<String, Object> env = map(service(name).get("environment"));
            assertFalse(env.isEmpty(), name + " has an environment");
            for (String variable : env.keySet()) {
                if (config.propertyOf(variable) == null) {
                    unread.add(name + ": " + variable + " (would set " + ServiceConfig.environmentName(variable).toLowerCase().replace('_', '.') + ")");
                }
            }
            assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), name + " reaches the broker");
            assertNotNull(env.get("DMS_SECRET_KEY"), name + " gets the secret key (the same in every service)");
        }
        assertEquals(List.of(), unread, "variables no code reads");
        Map<String, Object> orchestrator = map(service("job-orchestrator").get("environment"));
        assertEquals("jdbc:postgresql://control-db:5432/dms_control", orchestrator.get("DMS_CONTROL_DB_URL"));
        assertEquals(map(service("control-db").get("environment")).get("POSTGRES_DB"), "dms_control");
    }

    @Test
    void theMappingOfVariablesToPropertiesCanFail() throws IOException {
        ServiceConfig api = ServiceConfig.of(ROOT, "job-api");
        assertEquals("dms.api.operation-wait", api.propertyOf("DMS_API_OPERATION_WAIT"));
        assertEquals("dms.secret-key", api.propertyOf("DMS_SECRET_KEY"), "read in common");
        assertNull(api.propertyOf("DMS_API_OPERATION_TIMEOUT"));
        assertNull(api.propertyOf("DMS_CONTROL_DB_URL"), "the API has no control database");
    }

    /** Anyone who can write to dms.commands can do anything: the broker is not reachable from outside the compose network. */
    @Test
    void kafkaIsReachableOnlyInsideTheComposeNetwork() {
        Map<String, Object> kafka = service("kafka");
        assertNull(kafka.get("ports"), "the broker publishes no port");
        Map<String, Object> env = map(kafka.get("environment"));
        for (String listener : String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")).split(",")) {
            assertTrue(listener.matches("[A-Z_]+://kafka:\\d+"), "advertised only under its compose name: " + listener);
        }
        for (Map.Entry<String, Object> s : services.entrySet()) {
            for (Object published : list(map(s.getValue()).getOrDefault("ports", List.of()))) {
                assertFalse(String.valueOf(published).matches(".*:(9092|9093|29092)"), s.getKey() + " publishes a Kafka port: " + published);
            }
        }
    }

    @Test
    void everyPublishedPortListensOnTheLoopbackOnly() {
        for (Map.Entry<String, Object> s : services.entrySet()) {
            for (Object published : list(map(s.getValue()).getOrDefault("ports", List.of()))) {
                assertTrue(String.valueOf(published).startsWith("127.0.0.1:"), s.getKey() + " publishes " + published + " to the network");
            }
        }
    }

    /** Compose stops without the installation's key; the services refuse the development key, which compose never permits. */
    @Test
    void theSecretKeyIsRequiredAndNeverTheDevelopmentKey() throws IOException {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertFalse(text.contains(SecretCipher.DEVELOPMENT_KEY), "no default key");
        for (DmsService service : DmsService.values()) {
            Map<String, Object> env = map(service(service.moduleName()).get("environment"));
            assertTrue(String.valueOf(env.get("DMS_SECRET_KEY")).matches("\\$\\{DMS_SECRET_KEY:\\?[^}]+}"),
                    service.moduleName() + ": DMS_SECRET_KEY is required (${VAR:?message}): " + env.get("DMS_SECRET_KEY"));
            assertFalse(env.keySet().stream().anyMatch(v -> v.contains("ALLOW_DEVELOPMENT_KEY")), "only local stacks may allow it");
        }
    }

    @Test
    void apiTokensAreRequiredAnOperatorAndAViewer() {
        Map<String, Object> env = map(service("job-api").get("environment"));
        List<String> roles = new ArrayList<>();
        for (String entry : String.valueOf(env.get("DMS_API_AUTH_TOKENS")).split(",")) {
            Matcher m = Pattern.compile("([A-Za-z0-9._@-]+):(viewer|operator):\\$\\{(DMS_[A-Z_]+_TOKEN):\\?[^}]+}").matcher(entry);
            assertTrue(m.matches(), "name:role:${VAR:?message}, a required token: " + entry);
            roles.add(m.group(2));
        }
        assertEquals(List.of("operator", "viewer"), roles);
        assertNotEquals("true", String.valueOf(env.get("DMS_API_AUTH_PROTECT_MANAGEMENT")), "health and metrics stay open to probes");
    }

    /** bin/dms-compose-env writes every variable compose requires. */
    @Test
    void theEnvScriptWritesEveryRequiredVariable() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        String script = Files.readString(ROOT.resolve("bin/dms-compose-env"));
        assertTrue(Files.isExecutable(ROOT.resolve("bin/dms-compose-env")));
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(compose);
        List<String> names = new ArrayList<>();
        while (required.find()) {
            names.add(required.group(1));
            assertTrue(script.contains("echo \"" + required.group(1) + "=$(openssl rand"), "the script writes " + required.group(1));
        }
        assertTrue(names.containsAll(List.of("DMS_SECRET_KEY", "DMS_OPERATOR_TOKEN", "DMS_VIEWER_TOKEN")), names.toString());
        assertTrue(Files.readString(ROOT.resolve(".gitignore")).lines().anyMatch(".env"::equals), ".env is never committed");
    }

    @Test
    void mountedFilesExistAndTheSourceHasLogicalDecodingAndTheSample() {
        for (Map.Entry<String, Object> s : services.entrySet()) {
            for (Object volume : list(map(s.getValue()).getOrDefault("volumes", List.of()))) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertTrue(Files.exists(ROOT.resolve(source)), s.getKey() + " mounts " + source + ", which exists");
                }
            }
        }
        Map<String, Object> source = service("source");
        assertTrue(list(source.get("command")).contains("wal_level=logical"));
        assertTrue(list(source.get("volumes")).contains("./devstack/sample/shop.sql:/sample/shop.sql:ro"));
        assertTrue(list(source.get("volumes")).stream().anyMatch(v -> String.valueOf(v).startsWith(
                "./devstack/sample/compose-source-init.sh:/docker-entrypoint-initdb.d/")));
        assertTrue(Files.isExecutable(ROOT.resolve("devstack/sample/compose-source-init.sh")));
        assertTrue(list(service("grafana").get("volumes")).containsAll(List.of(
                "./grafana/provisioning:/etc/grafana/provisioning:ro", "./grafana/dashboards:/var/lib/grafana/dashboards:ro")));
    }

    /** prometheus.yml loads rules/*.yml next to it: compose mounts prometheus/rules there, which holds the alerts. */
    @Test
    void theAlertRulesAreLoaded() throws IOException {
        assertTrue(list(service("prometheus").get("volumes")).contains("./prometheus/rules:/etc/prometheus/rules:ro"),
                "the rules mounted next to /etc/prometheus/prometheus.yml");
        assertEquals(List.of("rules/*.yml"), prometheus.get("rule_files"));
        try (var rules = Files.list(ROOT.resolve("prometheus/rules"))) {
            assertTrue(rules.anyMatch(p -> p.toString().endsWith(".yml")), "prometheus/rules holds rule files");
        }
    }

    @Test
    void theDestinationIsAlloyDbOmniOrPlainPostgresUnderOneName() {
        Map<String, Object> alloydb = service("alloydb");
        Map<String, Object> postgres = service("destination-postgres");
        assertTrue(String.valueOf(alloydb.get("image")).startsWith("google/alloydbomni:"));
        assertEquals(List.of("alloydb"), alloydb.get("profiles"));
        assertEquals(List.of("postgres"), postgres.get("profiles"));
        for (Map<String, Object> destination : List.of(alloydb, postgres)) {
            assertEquals(List.of("destination"), map(map(destination.get("networks")).get("default")).get("aliases"));
        }
    }

    /**
     * Our own pre-flight refuses a destination older than the source (DESTINATION_VERSION_OLDER), and pg_dump dumps
     * sources of its own major and older: each destination image is at least the source's major, and the
     * dump-worker's image installs the client of the newest supported source (17, docs/versions.md).
     */
    @Test
    void theDestinationsAreNotOlderThanTheSourceAndPgDumpIsTheNewestSupported() throws IOException {
        int source = imageMajor(service("source"));
        for (String destination : List.of("alloydb", "destination-postgres")) {
            assertTrue(imageMajor(service(destination)) >= source, destination + " is at least the source's major " + source);
        }
        assertTrue(Files.readString(ROOT.resolve("dump-worker/Dockerfile")).contains("ARG PG_CLIENT_MAJOR=17"),
                "the dump-worker's pg_dump is 17");
    }

    /** postgres:16 is 16; google/alloydbomni:16.8.0 is PostgreSQL 16. */
    private static int imageMajor(Map<String, Object> service) {
        String image = String.valueOf(service.get("image"));
        return Integer.parseInt(image.substring(image.indexOf(':') + 1).split("\\.")[0]);
    }

    @Test
    void startOrder() {
        for (Map.Entry<String, Object> s : services.entrySet()) {
            for (String dependency : map(map(s.getValue()).getOrDefault("depends_on", Map.of())).keySet()) {
                assertTrue(services.containsKey(dependency), s.getKey() + " depends on " + dependency + ", a service");
            }
        }
        assertEquals(Map.of("kafka", Map.of("condition", "service_healthy"), "control-db", Map.of("condition", "service_healthy")),
                service("job-orchestrator").get("depends_on"));
        for (String follower : List.of("job-api", "dump-worker", "cdc-worker")) {
            assertEquals(Map.of("condition", "service_healthy"), map(service(follower).get("depends_on")).get("job-orchestrator"),
                    follower + " starts once the orchestrator (control database, topics) is ready");
        }
        for (String name : List.of("kafka", "control-db", "source", "alloydb", "destination-postgres", "prometheus")) {
            assertNotNull(service(name).get("healthcheck"), name + " has a health check");
        }
    }

    /** "service:port/path" for every target of prometheus.yml (static or DNS-discovered). */
    private static List<String> scrapeTargets() {
        List<String> out = new ArrayList<>();
        for (Object c : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> config = map(c);
            String path = String.valueOf(config.getOrDefault("metrics_path", "/metrics"));
            for (Object sc : list(config.getOrDefault("static_configs", List.of()))) {
                list(map(sc).get("targets")).forEach(t -> out.add(t + path));
            }
            for (Object dns : list(config.getOrDefault("dns_sd_configs", List.of()))) {
                list(map(dns).get("names")).forEach(n -> out.add(n + ":" + map(dns).get("port") + path));
            }
        }
        return out;
    }

    private static Map<String, Object> service(String name) {
        assertTrue(services.containsKey(name), "docker-compose.yml has a service " + name);
        return map(services.get(name));
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o == null || o instanceof Map, "a mapping: " + o);
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertTrue(o instanceof List, "a list: " + o);
        return (List<Object>) o;
    }
}
