package dms.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dms.cli.ConfirmOption;
import dms.cli.MutatingCommand;
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
public abstract class JobActionCommand extends MutatingCommand implements Callable<Integer> {
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
            confirm(List.of(selection.onlyId()));
            JsonNode op = operation(a -> sendSingle(a, selection.onlyId()));
            return op == null ? ExitCodes.OK : print(op, List.of(op.path("response")));
        }
        ObjectNode body = ApiClient.JSON.createObjectNode();
        completeBatchBody(body);
        List<String> ids = selection.resolve(api, root().pageSize());
        if (ids.isEmpty()) {
            spec.commandLine().getErr().println("dms: no job matches " + selection.describe() + "; nothing to " + verb());
            return ExitCodes.OK;
        }
        confirm(ids);
        ids.forEach(body.putArray("jobIds")::add);
        String batchVerb = "batch" + verb().substring(0, 1).toUpperCase(Locale.ROOT) + verb().substring(1);
        JsonNode op = operation(a -> a.post("/v1/migration-jobs:" + batchVerb, body));
        if (op == null) {
            return ExitCodes.OK;
        }
        List<JsonNode> results = new java.util.ArrayList<>();
        op.path("response").path("migrationJobs").forEach(results::add);
        op.path("response").path("reports").forEach(results::add);
        return print(op, results);
    }

    /** The single-job call; answers an Operation. */
    JsonNode sendSingle(ApiClient api, String id) {
        return api.post("/v1/migration-jobs/" + PathSegment.of(id) + ":" + verb(), singleBody());
    }

    /** Actions that cannot be undone ask on a terminal first (see ConfirmOption); the others go ahead. */
    void confirm(List<String> ids) {}

    /** "job orders", "3 jobs (a, b, c)" */
    static String jobs(List<String> ids) {
        return ids.size() == 1 ? "job " + ids.get(0) : ids.size() + " jobs (" + String.join(", ", ids) + ")";
    }

    /** Adds the batch call's options to its body; refuses those only the single-job call knows. */
    void completeBatchBody(ObjectNode body) {}

    /** Prints the results (a job document each); returns the exit code. */
    int print(JsonNode op, List<JsonNode> results) {
        print(op, () -> results.stream().map(job -> JobText.actionResult(verb(), job)).toList());
        return ExitCodes.OK;
    }

    /** Start and restart run the pre-flight, refused on an ERROR finding (printed) unless told to skip it. */
    abstract static class Checked extends JobActionCommand {
        @Option(names = "--skip-validation", description = "do not run the pre-flight (it refuses a start on an ERROR finding)")
        boolean skipValidation;

        @Override
        ObjectNode singleBody() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            completeBatchBody(body);
            return body.isEmpty() ? null : body;
        }

        @Override
        void completeBatchBody(ObjectNode body) {
            if (skipValidation) {
                body.put("skipValidation", true);
            }
        }
    }

    @Command(name = "start", description = "Start jobs (full dump, then CDC) after the pre-flight passes.")
    static final class Start extends Checked {
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
        @Mixin
        ConfirmOption confirmation;

        String verb() { return "promote"; }

        @Override
        void confirm(List<String> ids) {
            confirmation.confirm("Promote " + jobs(ids) + "? CDC ends: later writes to the source are not migrated.");
        }
    }

    @Command(name = "verify", description = "Verify jobs: pre-flight checks before a start (exit 9 if one finds an ERROR),"
            + " a data check from CDC on.")
    static final class Verify extends JobActionCommand {
        String verb() { return "verify"; }

        /** Before a start the results are pre-flight reports: their findings, and whether each passed. */
        @Override
        int print(JsonNode op, List<JsonNode> results) {
            if (results.stream().noneMatch(r -> r.has("findings"))) {
                return super.print(op, results);
            }
            print(op, () -> results.stream().flatMap(r -> JobText.preflight(r).stream()).toList());
            return results.stream().allMatch(r -> r.path("passed").asBoolean(false)) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }

    @Command(name = "delete", description = "Delete jobs (their slots and publications are dropped).")
    static final class Delete extends JobActionCommand {
        @Option(names = "--purge-destination", description = "also drop the migrated databases on the destination")
        boolean purgeDestination;

        @Mixin
        ConfirmOption confirmation;

        String verb() { return "delete"; }

        @Override
        void confirm(List<String> ids) {
            String its = ids.size() == 1 ? "Its" : "Their";
            confirmation.confirm("Delete " + jobs(ids) + "? " + its + " slots and publications are dropped on the source"
                    + (purgeDestination ? ", and the databases " + (ids.size() == 1 ? "it" : "they") + " created on the destination" : "") + ".");
        }

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

    @Command(name = "restart", description = "Restart jobs from a new full dump, after the pre-flight passes.")
    static final class Restart extends Checked {
        @Option(names = "--database", split = ",", paramLabel = "DB",
                description = "restart only these databases (one job only)")
        List<String> databases;

        @Mixin
        ConfirmOption confirmation;

        String verb() { return "restart"; }

        @Override
        void confirm(List<String> ids) {
            confirmation.confirm("Restart " + jobs(ids) + " from a new full dump? The destination databases"
                    + (databases == null || databases.isEmpty() ? "" : " " + String.join(", ", databases)) + " are dropped and copied again.");
        }

        @Override
        ObjectNode singleBody() {
            ObjectNode body = super.singleBody();
            if (databases == null || databases.isEmpty()) {
                return body;
            }
            body = body == null ? ApiClient.JSON.createObjectNode() : body;
            databases.forEach(body.putArray("databases")::add);
            return body;
        }

        @Override
        void completeBatchBody(ObjectNode body) {
            if (databases != null && !databases.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--database applies to one job at a time");
            }
            super.completeBatchBody(body);
        }
    }
}
