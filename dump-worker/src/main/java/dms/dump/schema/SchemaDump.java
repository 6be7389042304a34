package dms.dump.schema;

import dms.common.messages.ConnectionProfile;
import dms.common.pg.PgConnector;
import dms.common.pg.internal.InternalSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The schema half of the dump (docs/data-path.md, rule 6): pg_dump --schema-only in custom
 * format at the slot's snapshot, restored in two sections around the table copies: pre-data
 * (types, tables, functions, views...) before, post-data (indexes, constraints, triggers,
 * in parallel) after, when building them over the loaded rows is cheapest.
 *
 * <p>Flags, and why:
 * <ul>
 * <li>{@code --no-owner} (restore): the migration user owns what it restores while the dump runs (it copies,
 *     indexes and refreshes them); the source's owners are given back at the end of post-data, by
 *     {@code ObjectOwners}, to the roles it can act as (a non-superuser, as on AlloyDB, cannot give objects
 *     to any role).
 * <li>Privileges are kept: GRANTs are restored, so the roles they name must exist on the destination:
 *     {@code MissingRoles} creates them before pre-data. With the job's roles setting SKIP,
 *     {@code --no-privileges}: no GRANT is restored.
 * <li>{@code --no-tablespaces} (restore): the destination's own storage layout applies (AlloyDB has no
 *     user tablespaces).
 * <li>{@code --no-publications --no-subscriptions} (dump): replication set-ups are not schema to copy.
 *     The source's publications include this job's own (created before the snapshot); a copied
 *     subscription would make the new primary pull from the old publisher.
 * <li>{@code --exclude-schema=dms_internal} (dump): the migration's own schema, not the user's; on a source
 *     before PostgreSQL 14 it holds the job's marker table (docs/cdc.md#markers).
 * <li>{@code --exit-on-error} (restore): a half-restored schema must not pass for a migrated one.
 * <li>{@code --clean --if-exists} (post-data): applying post-data again after an interrupted attempt works.
 *     Pre-data also runs in {@code --single-transaction}, so a failure leaves nothing behind to clean up.
 * </ul>
 * Extensions come as CREATE EXTENSION (their member objects are not dumped), so the extension must be
 * installable on the destination.
 */
public final class SchemaDump {

    /** What pg_restore --section takes. */
    public enum Section {
        PRE_DATA("pre-data"),
        POST_DATA("post-data");

        private final String option;

        Section(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    /** Exported snapshot ids are hex numbers joined by dashes ({@code 00000003-0000001B-1}). */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9A-F]+(-[0-9A-F]+)*");

    private final PgConnector connector;
    private final PgClientTools tools;

    public SchemaDump(PgConnector connector, PgClientTools tools) {
        this.connector = connector;
        this.tools = tools;
    }

    public SchemaDump(PgConnector connector) {
        this(connector, PgClientTools.locate());
    }

    /**
     * pg_dump reads the catalogs of its own major version and older only: check it before starting a job.
     *
     * @param sourceConn a connection to the source
     */
    public void checkClientVersion(Connection sourceConn) throws SQLException {
        int serverMajor;
        try (Statement st = sourceConn.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            serverMajor = rs.getInt(1);
        }
        requireClientSupports(tools.pgDumpMajorVersion(), serverMajor, tools.pgDump());
    }

    /** The comparison of {@link #checkClientVersion}: pg_dump's major version must be at least the server's. */
    public static void requireClientSupports(int clientMajor, int serverMajor, Path pgDump) {
        if (clientMajor < serverMajor) {
            throw new SchemaDumpException("pg_dump " + clientMajor + " (" + pgDump + ") cannot dump a PostgreSQL "
                    + serverMajor + " source: the dump-worker needs pg_dump " + serverMajor + " or newer; install the PostgreSQL "
                    + serverMajor + " client or newer (e.g. apt-get install postgresql-client-" + serverMajor + "): the dump-worker"
                    + " takes the newest pg_dump in PG_BINDIR, on PATH, in pg_config --bindir or in /usr/lib/postgresql/*/bin");
        }
    }

    /** The source database's schema at the exported snapshot, as a custom-format archive. */
    public byte[] dumpSchema(ConnectionProfile profile, String database, String snapshotName) {
        if (snapshotName == null || !SNAPSHOT_NAME.matcher(snapshotName).matches()) {
            throw new IllegalArgumentException("not an exported snapshot name: " + snapshotName);
        }
        List<String> command = List.of(tools.pgDump().toString(),
                "--schema-only", "--format=custom", "--snapshot=" + snapshotName,
                "--no-publications", "--no-subscriptions", "--exclude-schema=" + InternalSchema.SCHEMA,
                "--dbname=" + PgConnector.dbnameArgument(database));
        ToolRun.Result result = ToolRun.run(command, connector.libpqEnv(profile), null);
        if (result.exitCode() != 0) {
            throw new SchemaDumpException("pg_dump of database " + database + " failed (exit " + result.exitCode() + "):\n"
                    + result.stderrTail());
        }
        return result.stdout();
    }

    /**
     * Restores one section of {@code dump} into the destination database (which must exist).
     * Parallel jobs ({@code jobs > 1}, post-data) make pg_restore re-read the archive, so it goes
     * through a private temporary file, deleted afterwards; otherwise through stdin. Without
     * {@code privileges} (the job's roles setting SKIP), no GRANT or REVOKE is restored.
     */
    public void restore(byte[] dump, ConnectionProfile profile, String database, Section section, int jobs, boolean privileges) {
        restore(dump, profile, database, section, jobs, privileges, null);
    }

    /**
     * As {@link #restore(byte[], ConnectionProfile, String, Section, int, boolean)}, of only the archive's
     * entries that {@code list} names (a {@code pg_restore -l} listing, entries left out or commented with
     * {@code ;}); null: all of them.
     */
    public void restore(byte[] dump, ConnectionProfile profile, String database, Section section, int jobs, boolean privileges,
                        String list) {
        List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(),
                "--section=" + section.option(), "--no-owner", "--no-tablespaces", "--exit-on-error",
                "--dbname=" + PgConnector.dbnameArgument(database)));
        if (!privileges) {
            command.add("--no-privileges");
        }
        boolean parallel = jobs > 1 && section == Section.POST_DATA;
        if (section == Section.POST_DATA) {
            // Idempotent: a post-data cut short (its worker killed in the middle) runs again whole: what the
            // first attempt built is dropped first, what it did not get to is skipped by IF EXISTS.
            command.add("--clean");
            command.add("--if-exists");
        }
        if (section == Section.PRE_DATA) {
            command.add("--single-transaction");
        }
        Path file = null;
        Path listFile = null;
        try {
            if (list != null) {
                listFile = Files.createTempFile("dms-toc-", ".list");
                Files.writeString(listFile, list);
                command.add("--use-list=" + listFile);
            }
            byte[] stdin = dump;
            if (parallel) {
                file = Files.createTempFile("dms-schema-", ".dump"); // rw------- : the schema is the user's
                Files.write(file, dump);
                command.add("--jobs=" + jobs);
                command.add(file.toString());
                stdin = null;
            }
            ToolRun.Result result = ToolRun.run(command, connector.libpqEnv(profile), stdin);
            if (result.exitCode() != 0) {
                throw new SchemaDumpException("pg_restore --section=" + section.option() + " into database " + database
                        + " failed (exit " + result.exitCode() + "):\n" + result.stderrTail());
            }
        } catch (IOException e) {
            throw new SchemaDumpException("cannot write the schema dump to a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
            deleteQuietly(listFile);
        }
    }

    /** The archive's table of contents, {@code pg_restore -l}: one entry a line ({@link ArchiveToc}). */
    public String list(byte[] dump) {
        ToolRun.Result result = ToolRun.run(List.of(tools.pgRestore().toString(), "--list"), Map.of(), dump);
        if (result.exitCode() != 0) {
            throw new SchemaDumpException("pg_restore --list failed (exit " + result.exitCode() + "):\n" + result.stderrTail());
        }
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }

    /**
     * The SQL of the archive's entries that {@code list} names, as {@code pg_restore --no-owner} would run
     * them, without connecting anywhere: for a caller that runs it on its own connection (which it can
     * cancel). psql meta-commands ({@code \restrict} of recent pg_restore versions) are left out.
     */
    public String script(byte[] dump, String list) {
        Path listFile = null;
        try {
            listFile = Files.createTempFile("dms-toc-", ".list");
            Files.writeString(listFile, list);
            ToolRun.Result result = ToolRun.run(List.of(tools.pgRestore().toString(), "--no-owner", "--no-tablespaces",
                    "--use-list=" + listFile, "--file=-"), Map.of(), dump);
            if (result.exitCode() != 0) {
                throw new SchemaDumpException("pg_restore --file of selected entries failed (exit " + result.exitCode() + "):\n"
                        + result.stderrTail());
            }
            return new String(result.stdout(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("\\"))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new SchemaDumpException("cannot write a restore list to a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(listFile);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temp file of a schema is not worth failing a restore that succeeded
        }
    }
}
