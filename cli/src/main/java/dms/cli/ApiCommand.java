package dms.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.api.ApiClient;
import dms.cli.api.ApiException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that calls the API shares: the client, the output format, printing. */
public abstract class ApiCommand {

    @Spec
    protected CommandSpec spec;

    public static final java.time.Duration OPERATION_TIMEOUT = java.time.Duration.ofMinutes(2);

    private ApiClient client;

    protected Dms root() {
        return (Dms) spec.root().userObject();
    }

    protected ApiClient api() {
        if (client == null) {
            String url = root().api();
            if (url == null || url.isBlank()) {
                throw new ApiException(ExitCodes.USAGE,
                        "no API URL: pass --api URL or set DMS_API_URL (bin/dms-local up writes it to .dms-local/env)");
            }
            client = new ApiClient(url.strip(), root().token(), "dms-cli:" + System.getProperty("user.name", "?"));
        }
        return client;
    }

    protected boolean json() {
        return root().format() == Dms.Format.json;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected void printJson(JsonNode node) {
        try {
            out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    /** A create body with the resource's optional id and display name (the API generates an id when absent). */
    protected static com.fasterxml.jackson.databind.node.ObjectNode createBody(String id, String displayName) {
        com.fasterxml.jackson.databind.node.ObjectNode body = ApiClient.JSON.createObjectNode();
        if (id != null) {
            body.put("id", id);
        }
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        return body;
    }

    /** The document as JSON for scripts, or the text lines for people. */
    protected void print(JsonNode document, java.util.function.Supplier<List<String>> text) {
        if (json()) {
            printJson(document);
        } else {
            printLines(text.get());
        }
    }

    /** Every item of a list, page after page ({@code nextPageToken}), {@code --page-size} at a time. */
    protected List<JsonNode> listAll(String path, String field) {
        return dms.cli.api.Pages.all(api(), path, field, root().pageSize());
    }

    protected void printLines(List<String> lines) {
        lines.forEach(out()::println);
        out().flush();
    }
}
