package dms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.api.ApiClient;
import dms.cli.api.Operations;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * A command the orchestrator answers (a change, or a listing that reaches a profile's server): the
 * API answers an Operation, which the command waits for (like gcloud) unless {@code --async}.
 */
public abstract class MutatingCommand extends ApiCommand {

    @Option(names = "--async", description = "do not wait for the Operation: print its name if it is not done"
            + " (follow it with 'dms operations wait NAME')")
    boolean async;

    /**
     * Sends the call and waits for its Operation (up to 2 minutes); its error becomes the exit code.
     * With --async an Operation that is not done yet is printed and null returned: nothing more to print.
     */
    protected JsonNode operation(Function<ApiClient, JsonNode> call) {
        JsonNode first = call.apply(api());
        if (async && !first.path("done").asBoolean(false)) {
            String name = first.path("name").asText("?");
            print(first, () -> List.of(name + ": not done yet; follow it with: dms operations wait " + name));
            return null;
        }
        return Operations.await(api(), first, OPERATION_TIMEOUT);
    }
}
