package dms.cli;

import dms.cli.jobs.JobsCommand;
import dms.cli.operations.OperationsCommand;
import dms.cli.profiles.ProfilesCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code dms}: the root command and the options every subcommand takes. */
@Command(name = "dms", mixinStandardHelpOptions = true, version = "dms 0.1.0",
        description = "Database Migration Service client (REST API, docs/api.md).",
        subcommands = {JobsCommand.class, ProfilesCommand.class, OperationsCommand.class},
        footer = {"", ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4, ExitCodes.HELP_5})
public final class Dms {

    public enum Format { text, json }

    @Option(names = "--api", scope = ScopeType.INHERIT, defaultValue = "${env:DMS_API_URL}", paramLabel = "URL",
            description = "API base URL (default: $DMS_API_URL; bin/dms reads .dms-local/env when it is unset)")
    String api;

    @Option(names = "--token", scope = ScopeType.INHERIT, defaultValue = "${env:DMS_API_TOKEN}", paramLabel = "TOKEN",
            description = "bearer token (default: $DMS_API_TOKEN)")
    String token;

    @Option(names = "--format", scope = ScopeType.INHERIT, defaultValue = "text", paramLabel = "text|json",
            description = "text for people (default), json for scripts (the API's documents as they are)")
    Format format;

    @Option(names = "--page-size", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "lists: how many items each call fetches (default: the API's, 500); every page is read")
    Integer pageSize;

    public Integer pageSize() {
        return pageSize;
    }

    public String api() {
        return api;
    }

    public String token() {
        return token;
    }

    public Format format() {
        return format;
    }
}
