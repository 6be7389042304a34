package dms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The job API over plain HTTP/1.1 (one keep-alive connection when used from one thread), as a
 * client would call it. Custom verbs keep their colon ({@code /v1/migration-jobs/job-1:start}).
 */
final class DmsClient {

    /** An answer: status, body (null when empty or not JSON) and how long the exchange took. */
    record Reply(int status, String text, long nanos) {
        JsonNode json() {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                return null;
            }
        }

        boolean ok() {
            return status == 200;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    DmsClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    String baseUrl() {
        return base;
    }

    HttpRequest getRequest(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
    }

    /** A plain-text read (Prometheus metrics). */
    Reply getText(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Accept", "text/plain").GET().build());
    }

    HttpRequest postRequest(String path, Object body) {
        return withBody(path, "POST", body);
    }

    HttpRequest patchRequest(String path, Object body) {
        return withBody(path, "PATCH", body);
    }

    private HttpRequest withBody(String path, String method, Object body) {
        String json = body == null ? "" : body instanceof String s ? s : Json.write(body);
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("X-Requested-By", "control-plane-bench")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
    }

    Reply get(String path) {
        return send(getRequest(path));
    }

    Reply post(String path, Object body) {
        return send(postRequest(path, body));
    }

    Reply patch(String path, Object body) {
        return send(patchRequest(path, body));
    }

    /** Sends and reads the whole body; the time covers exactly that (no JSON parsing). */
    Reply send(HttpRequest request) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), System.nanoTime() - t0);
        } catch (IOException e) {
            throw new BenchException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    static final class BenchException extends RuntimeException {
        BenchException(String message) {
            super(message);
        }

        BenchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
