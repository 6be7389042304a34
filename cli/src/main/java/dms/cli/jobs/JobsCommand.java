package dms.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dms.cli.ApiCommand;
import dms.cli.ExitCodes;
import dms.cli.MutatingCommand;
import dms.cli.api.ApiClient;
import dms.cli.api.PathSegment;
import dms.cli.watch.WatchCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dms jobs ...}: migration jobs, as {@code gcloud database-migration migration-jobs}. */
@Command(name = "jobs", description = "Migration jobs.", mixinStandardHelpOptions = true,
        subcommands = {JobsCommand.Create.class, JobsCommand.ListJobs.class, JobsCommand.Describe.class, JobsCommand.Update.class,
                JobActionCommand.Start.class, JobActionCommand.Stop.class, JobActionCommand.Resume.class,
                JobActionCommand.Restart.class, JobActionCommand.Promote.class, JobActionCommand.Verify.class,
                JobActionCommand.Delete.class, WatchCommand.class, JobsCommand.Events.class})
public final class JobsCommand {

    public enum Parallelism { MIN, OPTIMAL, MAX }

    /** The job's roles setting: what it does with the roles the destination lacks (docs/data-path.md, Roles). */
    public enum Roles { CREATE_MISSING, SKIP, REQUIRE_EXISTING }

    @Command(name = "create", description = "Create a job (NOT_STARTED, or DRAFT with --draft).")
    static final class Create extends MutatingCommand implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "JOB_ID", description = "the id (generated when absent)")
        String id;
        @Option(names = "--source", required = true, paramLabel = "PROFILE", description = "source connection profile")
        String source;
        @Option(names = "--destination", required = true, paramLabel = "PROFILE", description = "destination connection profile")
        String destination;
        @Option(names = "--database", split = ",", paramLabel = "DB", description = "databases to migrate (default: all)")
        List<String> databases = new ArrayList<>();
        @Option(names = "--dump-parallelism", paramLabel = "MIN|OPTIMAL|MAX")
        Parallelism dumpParallelism;
        @Option(names = "--roles", paramLabel = "CREATE_MISSING|SKIP|REQUIRE_EXISTING",
                description = "roles the destination lacks: create them (default), skip owners and grants, or require them")
        Roles roles;
        @Option(names = "--replica-identity-full", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
                description = "consent: set REPLICA IDENTITY FULL at start on the source tables with no key and no identity")
        Boolean replicaIdentityFull;
        @Option(names = "--cdc-parallelism", paramLabel = "N",
                description = "replication groups per database for CDC, 1 to 8 (default 1: one slot, transactions atomic; docs/cdc.md)")
        Integer cdcParallelism;
        @Option(names = "--display-name", paramLabel = "NAME")
        String displayName;
        @Option(names = "--draft", description = "create as DRAFT (editable, not startable)")
        boolean draft;

        @Override
        public Integer call() {
            ObjectNode body = createBody(id, displayName);
            body.put("source", source).put("destination", destination);
            databases.forEach(body.putArray("databases")::add);
            if (dumpParallelism != null) {
                body.put("dumpParallelism", dumpParallelism.name());
            }
            if (roles != null) {
                body.put("roles", roles.name());
            }
            if (replicaIdentityFull != null) {
                body.put("replicaIdentityFull", replicaIdentityFull);
            }
            if (cdcParallelism != null) {
                body.put("cdcParallelism", cdcParallelism);
            }
            if (draft) {
                body.put("draft", true);
            }
            JsonNode op = operation(api -> api.post("/v1/migration-jobs", body));
            if (op == null) {
                return ExitCodes.OK;
            }
            print(op, () -> List.of(JobText.actionResult("created", op.path("response"))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List jobs (every page).")
    static final class ListJobs extends ApiCommand implements Callable<Integer> {
        @Option(names = "--filter", paramLabel = "EXPR", description = "e.g. 'state=RUNNING' or 'state=STOPPED phase=CDC'")
        String filter;
        @Option(names = "--show-deleted", description = "include DELETED jobs")
        boolean showDeleted;

        @Override
        public Integer call() {
            JobFilter f = null;
            if (filter != null) {
                try {
                    f = JobFilter.parse(filter);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            String query = f == null ? "" : f.query();
            if (showDeleted) {
                query += (query.isEmpty() ? "?" : "&") + "showDeleted=true";
            }
            List<JsonNode> jobs = new ArrayList<>();
            for (JsonNode job : listAll("/v1/migration-jobs" + query, "migrationJobs")) {
                if (f == null || f.matches(job)) {
                    jobs.add(job);
                }
            }
            ObjectNode result = ApiClient.JSON.createObjectNode();
            jobs.forEach(result.putArray("migrationJobs")::add);
            print(result, () -> JobText.table(jobs));
            return ExitCodes.OK;
        }
    }

    @Command(name = "describe", description = "Show one job: status, allowed actions, per-database progress.")
    static final class Describe extends ApiCommand implements Callable<Integer> {
        @Parameters(paramLabel = "JOB_ID")
        String id;

        @Override
        public Integer call() {
            JsonNode job = api().get("/v1/migration-jobs/" + PathSegment.of(id));
            print(job, () -> JobText.describe(job));
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", description = "Edit a job: display name, databases, dump parallelism (applies live), roles and replicaIdentityFull settings.")
    static final class Update extends MutatingCommand implements Callable<Integer> {
        @Parameters(paramLabel = "JOB_ID")
        String id;
        @Option(names = "--display-name", paramLabel = "NAME")
        String displayName;
        @Option(names = "--database", split = ",", paramLabel = "DB",
                description = "the job's databases from now on (also while running, stopped or failed)")
        List<String> databases;
        @Option(names = "--all-databases", description = "every database of the source from now on (instead of a list)")
        boolean allDatabases;
        @Option(names = "--dump-parallelism", paramLabel = "MIN|OPTIMAL|MAX")
        Parallelism dumpParallelism;
        @Option(names = "--roles", paramLabel = "CREATE_MISSING|SKIP|REQUIRE_EXISTING",
                description = "for the databases prepared from now on")
        Roles roles;
        @Option(names = "--replica-identity-full", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
                description = "consent to set REPLICA IDENTITY FULL on tables without key, for the databases prepared from now on")
        Boolean replicaIdentityFull;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (displayName != null) {
                body.put("displayName", displayName);
            }
            if (allDatabases && databases != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --database or --all-databases, not both");
            }
            if (databases != null || allDatabases) {
                var list = body.putArray("databases");
                if (databases != null) {
                    databases.forEach(list::add);
                }
            }
            if (dumpParallelism != null) {
                body.put("dumpParallelism", dumpParallelism.name());
            }
            if (roles != null) {
                body.put("roles", roles.name());
            }
            if (replicaIdentityFull != null) {
                body.put("replicaIdentityFull", replicaIdentityFull);
            }
            if (body.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "nothing to update: give --display-name, --database, --all-databases, --dump-parallelism, --roles or --replica-identity-full");
            }
            JsonNode op = operation(api -> api.patch("/v1/migration-jobs/" + PathSegment.of(id), body));
            if (op == null) {
                return ExitCodes.OK;
            }
            print(op, () -> List.of(JobText.actionResult("updated", op.path("response"))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "events", description = "A job's audit trail, oldest first: status changes, refused commands, worker reports.")
    static final class Events extends ApiCommand implements Callable<Integer> {
        @Parameters(paramLabel = "JOB_ID")
        String id;

        @Override
        public Integer call() {
            JsonNode events = api().get("/v1/migration-jobs/" + PathSegment.of(id) + "/events");
            print(events, () -> JobText.events(events.path("events")));
            return ExitCodes.OK;
        }
    }
}
