package dms.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.ExitCodes;
import java.time.Duration;
import java.util.List;

/**
 * A mutating call answers an Operation: done at once (200), or not yet (202, done=false) when
 * the orchestrator takes longer than the API waits. Like gcloud, the client waits for it.
 */
public final class Operations {
    private static final Duration POLL = Duration.ofMillis(500);

    private Operations() {}

    /** The done Operation; its error (if any) as an ApiException. */
    public static JsonNode await(ApiClient api, JsonNode operation, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode current = operation;
        while (!current.path("done").asBoolean(false)) {
            if (System.nanoTime() > deadline) {
                throw new ApiException(ExitCodes.ERROR, current.path("name").asText("the operation")
                        + " is not done after " + timeout.toSeconds() + " s; see GET /v1/" + current.path("name").asText());
            }
            sleep(POLL);
            current = api.get("/v1/" + current.path("name").asText());
        }
        JsonNode error = current.get("error");
        if (error != null && !error.isNull()) {
            List<String> findings = FindingLines.ofRefusal(error.path("details"));
            throw new ApiException(ExitCodes.ofOperationError(error.path("code").asText(null)),
                    error.path("message").asText("the operation failed") + " (" + error.path("code").asText("?") + ")"
                            + (findings.isEmpty() ? "" : "\n" + String.join("\n", findings)));
        }
        return current;
    }

    /** Sleeps; an interrupt (Ctrl-C) ends the command. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.ERROR, "interrupted", e);
        }
    }
}
