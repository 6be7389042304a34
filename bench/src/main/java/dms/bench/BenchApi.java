package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The job API as the benchmarks drive it: plain JSON over HTTP/1.1; a failed exchange is a {@link BenchFailure}. */
final class BenchApi {
    record Reply(int status, String text) {
        JsonNode json() {
            try {
                return text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String requestedBy;

    BenchApi(String base, String requestedBy) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.requestedBy = requestedBy;
    }

    Reply get(String path) {
        return send(builder(path).GET().build());
    }

    Reply delete(String path) {
        return send(builder(path).DELETE().build());
    }

    Reply post(String path, Object body) {
        String json = body == null ? "" : Json.write(body);
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpRequest.Builder builder(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("X-Requested-By", requestedBy);
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new BenchFailure(request.method() + " " + request.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}
