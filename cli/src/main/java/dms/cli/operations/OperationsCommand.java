package dms.cli.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.ApiCommand;
import dms.cli.ExitCodes;
import dms.cli.api.Operations;
import dms.cli.api.PathSegment;
import dms.cli.output.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dms operations ...}: the Operation a mutating call answered (kept 7 days), e.g. one
 * that {@code --async} left running: {@code GET /v1/operations/{id}}.
 */
@Command(name = "operations", description = "Operations, the results of mutating calls.", mixinStandardHelpOptions = true,
        subcommands = {OperationsCommand.Describe.class, OperationsCommand.Wait.class})
public final class OperationsCommand {

    /** "operations/abc" or "abc": the API's path takes the id after the prefix. */
    static String path(String name) {
        String id = name.startsWith("operations/") ? name.substring("operations/".length()) : name;
        return "/v1/operations/" + PathSegment.of(id);
    }

    /** name, done, what it was about, and its error or what it answered. */
    static List<String> text(JsonNode op) {
        List<String> lines = new ArrayList<>();
        lines.add("name:        " + Json.text(op, "name", "?"));
        lines.add("done:        " + op.path("done").asBoolean(false));
        JsonNode meta = op.path("metadata");
        if (meta.isObject()) {
            lines.add("type:        " + Json.text(meta, "type", "?"));
            String target = Json.text(meta, "target", Json.list(meta.get("targets")));
            lines.add("target:      " + target);
            lines.add("requestedBy: " + Json.text(meta, "requestedBy", "-"));
            lines.add("createTime:  " + Json.text(meta, "createTime", "-"));
            if (meta.has("endTime")) {
                lines.add("endTime:     " + Json.text(meta, "endTime"));
            }
        }
        JsonNode error = op.get("error");
        if (error != null && !error.isNull()) {
            lines.add("error:       " + Json.text(error, "code", "?") + ": " + Json.text(error, "message", ""));
        } else if (op.has("response")) {
            JsonNode r = op.get("response");
            lines.add("response:    " + (r.has("state") ? Json.text(r, "id", "?") + " " + Json.status(r)
                    : r.has("passed") ? "pre-flight " + (r.path("passed").asBoolean() ? "passed" : "FAILED")
                    : r.has("migrationJobs") ? r.get("migrationJobs").size() + " jobs" : Json.text(r, "id", r.toString())));
        }
        return lines;
    }

    @Command(name = "describe", description = "Show an operation (exit 0 whether or not it is done or failed).")
    static final class Describe extends ApiCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "operations/ID, or ID")
        String name;

        @Override
        public Integer call() {
            JsonNode op = api().get(path(name));
            print(op, () -> text(op));
            return ExitCodes.OK;
        }
    }

    @Command(name = "wait", description = "Wait until an operation is done; exits with its error's code (as the call would have).")
    static final class Wait extends ApiCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "operations/ID, or ID")
        String name;
        @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
                description = "give up after this long (exit 1; default: 120)")
        long timeoutSeconds;

        @Override
        public Integer call() {
            JsonNode op = Operations.await(api(), api().get(path(name)), Duration.ofSeconds(timeoutSeconds));
            print(op, () -> text(op));
            return ExitCodes.OK;
        }
    }
}
