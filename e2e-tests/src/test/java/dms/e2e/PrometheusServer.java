package dms.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dms.devstack.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus (the Debian package's binary, or {@code $PROMETHEUS_BIN}) scraping the
 * stack's services every second with a scrape config of its own in a temporary folder, and
 * its HTTP query API. A plain scrape config (no {@code honor_labels}), as a user would write it:
 * the metrics must need nothing more. It evaluates the rule files it is given every second.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final String url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;

    private PrometheusServer(Process process, String url, Path dir, Path log) {
        this.process = process;
        this.url = url;
        this.dir = dir;
        this.log = log;
    }

    /**
     * @param targets scrape job name to {@code host:port} of a service (metrics at /q/metrics)
     * @param ruleFiles rule files to load (globs allowed)
     */
    static PrometheusServer start(Path dir, Map<String, String> targets, List<String> ruleFiles)
            throws IOException, InterruptedException {
        Path binary = binary();
        String jobs = targets.entrySet().stream().map(t -> """
                  - job_name: %s
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['%s']
                """.formatted(t.getKey(), t.getValue())).collect(Collectors.joining());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                """.formatted(ruleFiles.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "))) + jobs);
        int port = FreePorts.pick();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, dir, log);
        server.awaitReady();
        return server;
    }

    private static Path binary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        Stream<Path> candidates = configured != null ? Stream.of(Path.of(configured))
                : Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(d -> Path.of(d, "prometheus")),
                        Stream.of(Path.of("/usr/bin/prometheus")));
        return candidates.filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "no prometheus binary: apt-get install -y prometheus (as .ci/run does), or set PROMETHEUS_BIN"));
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready after 30 s: " + Files.readString(log));
    }

    /** An instant query at now: the API's {@code data} ({@code resultType}, {@code result}); throws with Prometheus's error. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return data(get("/api/v1/query?query=" + encode(promql)), promql);
    }

    /** A range query with a step of 1 s: the API's {@code data}, as Grafana asks for an annotation's query. */
    JsonNode queryRange(String promql, Duration back) throws IOException, InterruptedException {
        // Rounded up: a sample scraped in the current second is in the range.
        long end = (System.currentTimeMillis() + 999) / 1000;
        return data(get("/api/v1/query_range?query=" + encode(promql) + "&start=" + (end - back.toSeconds()) + "&end=" + end
                + "&step=1"), promql);
    }

    /** The loaded rule groups ({@code /api/v1/rules}: each rule's {@code health} and {@code lastError}). */
    JsonNode rules() throws IOException, InterruptedException {
        return data(get("/api/v1/rules"), "rules");
    }

    /** The series matching a selector (what Grafana's label_values reads). */
    JsonNode series(String selector) throws IOException, InterruptedException {
        return data(get("/api/v1/series?match[]=" + encode(selector)), selector);
    }

    /** The single value of a query that returns one series, NaN when it returns none. */
    double value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("result");
        return result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText()) : Double.NaN;
    }

    private JsonNode data(HttpResponse<String> response, String what) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new PromQlException(what + ": " + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return body.path("data");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Stops it and deletes its folder (config and data). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: left for the OS
        }
    }

    static final class PromQlException extends IOException {
        PromQlException(String message) {
            super(message);
        }
    }
}
