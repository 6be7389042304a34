package dms.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dms.cli.ApiCommand;
import dms.cli.ExitCodes;
import dms.cli.api.ApiClient;
import dms.cli.api.PathSegment;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A job action (start, stop, ...): one job through {@code POST /v1/migration-jobs/ID:verb}, several
 * (ids or --filter) through {@code POST /v1/migration-jobs:batchVerb}, which changes all or none.
 * Waits for the Operation, like gcloud does.
 */
public abstract class JobActionCommand extends ApiCommand implements Callable<Integer> {
    @Mixin
    JobSelection selection;

    /** The verb in the URL: start, stop, resume, restart, promote, verify. */
    abstract String verb();

    /** The body of the single-job call (only restart takes one). */
    ObjectNode singleBody() {
        return null;
    }

    @Override
    public Integer call() {
        ApiClient api = api();
        if (selection.single()) {
            JsonNode op = operation(a -> sendSingle(a, selection.onlyId()));
            print(op, List.of(op.path("response")));
            return ExitCodes.OK;
        }
        ObjectNode body = ApiClient.JSON.createObjectNode();
        completeBatchBody(body);
        List<String> ids = selection.resolve(api);
        if (ids.isEmpty()) {
            spec.commandLine().getErr().println("dms: no job matches " + selection.describe() + "; nothing to " + verb());
            return ExitCodes.OK;
        }
        ids.forEach(body.putArray("jobIds")::add);
        String batchVerb = "batch" + verb().substring(0, 1).toUpperCase(Locale.ROOT) + verb().substring(1);
        JsonNode op = operation(a -> a.post("/v1/migration-jobs:" + batchVerb, body));
        List<JsonNode> jobs = new java.util.ArrayList<>();
        op.path("response").path("migrationJobs").forEach(jobs::add);
        print(op, jobs);
        return ExitCodes.OK;
    }

    /** The single-job call; answers an Operation. */
    JsonNode sendSingle(ApiClient api, String id) {
        return api.post("/v1/migration-jobs/" + PathSegment.of(id) + ":" + verb(), singleBody());
    }

    /** Adds the batch call's options to its body; refuses those only the single-job call knows. */
    void completeBatchBody(ObjectNode body) {}

    private void print(JsonNode op, List<JsonNode> jobs) {
        print(op, () -> jobs.stream().map(job -> JobText.actionResult(verb(), job)).toList());
    }

    @Command(name = "start", description = "Start jobs (full dump, then CDC).")
    static final class Start extends JobActionCommand {
        String verb() { return "start"; }
    }

    @Command(name = "stop", description = "Stop jobs; the replication slot keeps the WAL for resume.")
    static final class Stop extends JobActionCommand {
        String verb() { return "stop"; }
    }

    @Command(name = "resume", description = "Resume stopped jobs where they stopped.")
    static final class Resume extends JobActionCommand {
        String verb() { return "resume"; }
    }

    @Command(name = "promote", description = "Promote: drain CDC, sync sequences, drop the slot; the job COMPLETES.")
    static final class Promote extends JobActionCommand {
        String verb() { return "promote"; }
    }

    @Command(name = "verify", description = "Verify jobs: pre-flight checks before a start, a data check from CDC on.")
    static final class Verify extends JobActionCommand {
        String verb() { return "verify"; }
    }

    @Command(name = "delete", description = "Delete jobs (their slots and publications are dropped).")
    static final class Delete extends JobActionCommand {
        @Option(names = "--purge-destination", description = "also drop the migrated databases on the destination")
        boolean purgeDestination;

        String verb() { return "delete"; }

        @Override
        JsonNode sendSingle(ApiClient api, String id) {
            return api.delete("/v1/migration-jobs/" + PathSegment.of(id) + "?purgeDestination=" + purgeDestination);
        }

        @Override
        void completeBatchBody(ObjectNode body) {
            if (purgeDestination) {
                body.put("purgeDestination", true);
            }
        }
    }

    @Command(name = "restart", description = "Restart jobs from a new full dump.")
    static final class Restart extends JobActionCommand {
        @Option(names = "--database", split = ",", paramLabel = "DB",
                description = "restart only these databases (one job only)")
        List<String> databases;

        String verb() { return "restart"; }

        @Override
        ObjectNode singleBody() {
            if (databases == null || databases.isEmpty()) {
                return null;
            }
            ObjectNode body = ApiClient.JSON.createObjectNode();
            databases.forEach(body.putArray("databases")::add);
            return body;
        }

        @Override
        void completeBatchBody(ObjectNode body) {
            if (databases != null && !databases.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--database applies to one job at a time");
            }
        }
    }
}
