package dms.cli.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dms.cli.ApiCommand;
import dms.cli.ConfirmOption;
import dms.cli.ExitCodes;
import dms.cli.MutatingCommand;
import dms.cli.api.ApiClient;
import dms.cli.api.PathSegment;
import dms.cli.output.Json;
import dms.cli.output.TextTable;
import dms.cli.output.Units;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dms profiles ...}: connection profiles (the password and TLS key are write-only). */
@Command(name = "profiles", description = "Connection profiles.", mixinStandardHelpOptions = true,
        subcommands = {ProfilesCommand.Create.class, ProfilesCommand.Update.class, ProfilesCommand.ListProfiles.class, ProfilesCommand.Describe.class,
                ProfilesCommand.Databases.class, ProfilesCommand.Delete.class})
public final class ProfilesCommand {
    public enum SslMode {
        disable, allow, prefer, require, verify_ca, verify_full;

        String apiValue() {
            return name().replace('_', '-');
        }
    }

    /** The options a create and an update share: secrets and TLS files, read so that none is typed on the command line. */
    static final class SecretAndTlsOptions {
        @Option(names = "--password", arity = "0..1", interactive = true,
                description = "the password; without a value it is asked for (not echoed)")
        String password;
        @Option(names = "--password-env", paramLabel = "VAR", description = "read the password from this environment variable")
        String passwordEnv;
        @Option(names = "--ssl-mode", paramLabel = "MODE", converter = SslModeConverter.class,
                description = "disable, allow, prefer (default), require, verify-ca, verify-full")
        SslMode sslMode;
        @Option(names = "--ssl-root-cert", paramLabel = "FILE", description = "PEM CA certificate(s) that verify the server")
        String sslRootCert;
        @Option(names = "--ssl-cert", paramLabel = "FILE", description = "PEM client certificate")
        String sslCert;
        @Option(names = "--ssl-key", paramLabel = "FILE", description = "PEM client key (PKCS #8, unencrypted); write-only")
        String sslKey;
        @Option(names = "--display-name", paramLabel = "NAME")
        String displayName;

        /** Adds what was given; an empty FILE (--ssl-key '') removes that file from the profile. */
        void fill(ObjectNode body, picocli.CommandLine commandLine) {
            String secret = passwordEnv != null ? System.getenv(passwordEnv) : password;
            if (passwordEnv != null && secret == null) {
                throw new picocli.CommandLine.ParameterException(commandLine, "environment variable " + passwordEnv + " is not set");
            }
            if (secret != null) {
                body.put("password", secret);
            }
            if (sslMode != null) {
                body.put("sslMode", sslMode.apiValue());
            }
            if (displayName != null) {
                body.put("displayName", displayName);
            }
            putFile(body, "sslRootCert", sslRootCert, commandLine);
            putFile(body, "sslCert", sslCert, commandLine);
            putFile(body, "sslKey", sslKey, commandLine);
        }

        private static void putFile(ObjectNode body, String field, String file, picocli.CommandLine commandLine) {
            if (file == null) {
                return;
            }
            try {
                body.put(field, file.isEmpty() ? "" : java.nio.file.Files.readString(java.nio.file.Path.of(file)));
            } catch (java.io.IOException e) {
                throw new picocli.CommandLine.ParameterException(commandLine, "cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "create", description = "Create a profile; the password and TLS key are encrypted by the API and never shown again.")
    static final class Create extends MutatingCommand implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "PROFILE_ID", description = "the id (generated when absent)")
        String id;
        @Option(names = "--host", required = true)
        String host;
        @Option(names = "--port", defaultValue = "5432")
        int port;
        @Option(names = "--username", required = true)
        String username;
        @picocli.CommandLine.Mixin
        SecretAndTlsOptions options;

        @Override
        public Integer call() {
            ObjectNode body = createBody(id, null);
            body.put("host", host).put("port", port).put("username", username);
            options.fill(body, spec.commandLine());
            JsonNode op = operation(api -> api.post("/v1/connection-profiles", body));
            if (op == null) {
                return ExitCodes.OK;
            }
            print(op, () -> List.of("created profile " + Json.text(op.path("response"), "id", "?")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", description = "Edit a profile (a rotated password, TLS files): only the options given change;"
            + " its jobs take it at their next connection, running streams reconnect.")
    static final class Update extends MutatingCommand implements Callable<Integer> {
        @Parameters(paramLabel = "PROFILE_ID")
        String id;
        @Option(names = "--host")
        String host;
        @Option(names = "--port")
        Integer port;
        @Option(names = "--username")
        String username;
        @picocli.CommandLine.Mixin
        SecretAndTlsOptions options;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (host != null) {
                body.put("host", host);
            }
            if (port != null) {
                body.put("port", port);
            }
            if (username != null) {
                body.put("username", username);
            }
            options.fill(body, spec.commandLine());
            JsonNode op = operation(api -> api.patch("/v1/connection-profiles/" + PathSegment.of(id), body));
            if (op == null) {
                return ExitCodes.OK;
            }
            print(op, () -> List.of("updated profile " + id));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List profiles.")
    static final class ListProfiles extends ApiCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            List<JsonNode> profiles = listAll("/v1/connection-profiles", "connectionProfiles");
            ObjectNode result = ApiClient.JSON.createObjectNode();
            profiles.forEach(result.putArray("connectionProfiles")::add);
            print(result, () -> {
                TextTable table = new TextTable("ID", "HOST", "PORT", "USERNAME", "SSL_MODE", "DISPLAY_NAME");
                for (JsonNode p : profiles) {
                    table.row(Json.text(p, "id"), Json.text(p, "host"), Json.text(p, "port"), Json.text(p, "username"),
                            Json.text(p, "sslMode", "-"), Json.text(p, "displayName", ""));
                }
                return table.lines();
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "describe", description = "Show one profile.")
    static final class Describe extends ApiCommand implements Callable<Integer> {
        @Parameters(paramLabel = "PROFILE_ID")
        String id;

        @Override
        public Integer call() {
            JsonNode profile = api().get("/v1/connection-profiles/" + PathSegment.of(id));
            print(profile, () -> {
                List<String> lines = new java.util.ArrayList<>();
                profile.fields().forEachRemaining(f -> lines.add(String.format("%-13s %s", f.getKey() + ":", f.getValue().asText())));
                return lines;
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "databases", description = "List the databases of the profile's server that its user may connect to,"
            + " with their size and the jobs migrating them (the orchestrator connects: exit 6 when the server cannot be reached).")
    static final class Databases extends MutatingCommand implements Callable<Integer> {
        @Parameters(paramLabel = "PROFILE_ID")
        String id;

        @Override
        public Integer call() {
            JsonNode op = operation(api -> api.get("/v1/connection-profiles/" + PathSegment.of(id) + "/databases"));
            if (op == null) {
                return ExitCodes.OK;
            }
            JsonNode listing = op.path("response");
            print(listing, () -> {
                TextTable table = new TextTable("NAME", "SIZE", "MIGRATION_JOBS", "NOTE");
                for (JsonNode db : listing.path("databases")) {
                    List<String> jobs = new java.util.ArrayList<>();
                    db.path("migrationJobs").forEach(j -> jobs.add(j.asText()));
                    table.row(Json.text(db, "name"), Units.bytes(db.path("sizeBytes").asLong()), jobs.isEmpty() ? "-" : String.join(",", jobs),
                            db.path("maintenance").asBoolean() ? "maintenance: not in all databases" : "");
                }
                return table.lines();
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a profile (refused while a job uses it: exit 4).")
    static final class Delete extends MutatingCommand implements Callable<Integer> {
        @Parameters(paramLabel = "PROFILE_ID")
        String id;
        @picocli.CommandLine.Mixin
        ConfirmOption confirmation;

        @Override
        public Integer call() {
            confirmation.confirm("Delete connection profile " + id + "?");
            JsonNode op = operation(api -> api.delete("/v1/connection-profiles/" + PathSegment.of(id)));
            if (op == null) {
                return ExitCodes.OK;
            }
            print(op, () -> List.of("deleted profile " + id));
            return ExitCodes.OK;
        }
    }

    /** Accepts the API's spelling (verify-ca) as well as the enum's. */
    static final class SslModeConverter implements picocli.CommandLine.ITypeConverter<SslMode> {
        @Override
        public SslMode convert(String value) {
            return SslMode.valueOf(value.toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }
}
