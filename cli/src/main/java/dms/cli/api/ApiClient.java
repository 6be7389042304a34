package dms.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dms.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The REST API (docs/api.md) over java.net.http: JSON in and out, a bearer token when one is
 * given, and every failure turned into an {@link ApiException} with its exit code.
 */
public final class ApiClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    // Longer than the API's own wait for a verdict (dms.api.operation-wait, 5 s by default).
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;
    private final String requestedBy;
    private final HttpClient http;

    public ApiClient(String baseUrl, String token, String requestedBy) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.requestedBy = requestedBy;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    private JsonNode send(String method, String path, Object body) {
        URI uri;
        try {
            // The colon of a custom verb ("orders:start") goes as is: URI.create does not encode it.
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ExitCodes.USAGE, "not a valid URL: " + baseUrl + path);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (requestedBy != null) {
            request.header("X-Requested-By", requestedBy);
        }
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> response = http.send(request.method(method, publisher).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = parse(response.body());
            if (response.statusCode() >= 400) {
                throw new ApiException(ExitCodes.ofStatus(response.statusCode()), ProblemMessage.of(response.statusCode(), json));
            }
            return json;
        } catch (IOException e) {
            throw new ApiException(ExitCodes.UNREACHABLE, "cannot reach the API at " + baseUrl + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.ERROR, "interrupted", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            // Not JSON (a proxy's error page, say): keep it as text so that the user sees it.
            return JSON.getNodeFactory().textNode(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
