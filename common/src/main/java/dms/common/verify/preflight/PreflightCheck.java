package dms.common.verify.preflight;

import static dms.common.verify.preflight.FindingCode.*;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.PreflightReport;
import dms.common.messages.RoleHandling;
import dms.common.messages.ReplicationNames;
import dms.common.pg.ReplicationGroups;
import dms.common.validation.CommandValidator;
import dms.common.messages.PreflightReport.Side;
import dms.common.pg.PgConnector;
import dms.common.pg.ServerIdentity;
import dms.common.pg.roles.SourceRoles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verify before start: checks a job's source and destination for what would make the migration
 * fail or lose data, and reports one finding per problem (codes in {@link FindingCode}, the
 * list with what to do in docs/verify.md). Reads only: nothing changes on either server. Every
 * statement runs under a statement timeout, every connection under the connector's timeout.
 */
public final class PreflightCheck {

    /** The database opened for server-wide facts on both sides (as the dump-worker does). */
    public static final String MAINTENANCE_DATABASE = "postgres";
    /**
     * pgoutput (built-in logical replication) exists from 10 on. Before 14 it forwards no logical decoding
     * messages: the markers of heartbeats, promote and verify take a table there (dms.common.pg.WalMarker).
     */
    static final int MIN_SOURCE_VERSION = 100000;

    private final PgConnector connector;
    private final Duration statementTimeout;
    private final Integer pgDumpMajor;

    public PreflightCheck(PgConnector connector, Duration statementTimeout) {
        this(connector, statementTimeout, null);
    }

    /**
     * @param pgDumpMajor the major of the dump-workers' pg_dump as the deployment declares it, null if unknown: the
     *     orchestrator has no pg_dump of its own, the dump-worker checks its own at prepare (docs/versions.md)
     */
    public PreflightCheck(PgConnector connector, Duration statementTimeout, Integer pgDumpMajor) {
        this.connector = connector;
        this.statementTimeout = statementTimeout;
        this.pgDumpMajor = pgDumpMajor;
    }

    /** Before a start. @param requestedDatabases the job's databases; empty for every database of the source */
    public PreflightReport run(String jobId, ConnectionProfile source, ConnectionProfile destination,
                               List<String> requestedDatabases, RoleHandling roles) {
        return run(jobId, source, destination, requestedDatabases, roles, false);
    }

    /** The same, for a job whose replicaIdentityFull setting is {@code replicaIdentityFull}. */
    public PreflightReport run(String jobId, ConnectionProfile source, ConnectionProfile destination,
                               List<String> requestedDatabases, RoleHandling roles, boolean replicaIdentityFull) {
        return run(jobId, source, destination, requestedDatabases, roles, replicaIdentityFull, 1);
    }

    /** The same, for a job of {@code cdcParallelism} replication groups per database (a slot and a WAL sender each). */
    public PreflightReport run(String jobId, ConnectionProfile source, ConnectionProfile destination,
                               List<String> requestedDatabases, RoleHandling roles, boolean replicaIdentityFull, int cdcParallelism) {
        return check(jobId, source, destination, requestedDatabases, roles, replicaIdentityFull, cdcParallelism, false);
    }

    /**
     * Before a restart of {@code databases}: the job's own slots are replaced and the destination
     * databases it created are dropped, so neither is a finding; a database it did not create is.
     */
    public PreflightReport runForRestart(String jobId, ConnectionProfile source, ConnectionProfile destination,
                                         List<String> databases, RoleHandling roles, boolean replicaIdentityFull) {
        return runForRestart(jobId, source, destination, databases, roles, replicaIdentityFull, 1);
    }

    /** The same, for a job of {@code cdcParallelism} replication groups per database. */
    public PreflightReport runForRestart(String jobId, ConnectionProfile source, ConnectionProfile destination,
                                         List<String> databases, RoleHandling roles, boolean replicaIdentityFull, int cdcParallelism) {
        return check(jobId, source, destination, databases, roles, replicaIdentityFull, cdcParallelism, true);
    }

    private PreflightReport check(String jobId, ConnectionProfile source, ConnectionProfile destination,
                                  List<String> requestedDatabases, RoleHandling roles, boolean replicaIdentityFull, int cdcParallelism,
                                  boolean restart) {
        Findings findings = new Findings();
        SourceServer src = null;
        List<String> databases = new ArrayList<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        Set<String> extensions = new TreeSet<>();
        Map<String, List<String>> extensionsByDatabase = new LinkedHashMap<>();
        Map<String, SourceRoles> rolesByDatabase = new LinkedHashMap<>();
        try (Connection admin = open(source, MAINTENANCE_DATABASE, Side.SOURCE, findings)) {
            if (admin != null) {
                src = SourceServer.read(admin);
                src.check(findings, pgDumpMajor);
                databases.addAll(resolveDatabases(admin, requestedDatabases, sizes, findings));
                src.checkCapacity(databases.size(), cdcParallelism, restart ? ownSlots(admin, jobId, databases) : 0, findings);
            }
        } catch (SQLException e) {
            checkFailed(findings, Side.SOURCE, null, "the source server", e);
        }
        if (src != null) {
            for (String db : databases) {
                try (Connection conn = open(source, db, Side.SOURCE, findings)) {
                    if (conn != null) {
                        List<String> used = SourceDatabaseCheck.check(conn, db, replicaIdentityFull, findings);
                        extensionsByDatabase.put(db, used);
                        extensions.addAll(used);
                        rolesByDatabase.put(db, SourceRoles.read(conn));
                    }
                } catch (SQLException e) {
                    checkFailed(findings, Side.SOURCE, db, "database " + db, e);
                }
            }
        }
        String destinationVersion = null;
        if (sameServer(source, destination, findings)) {
            return PreflightReport.of(jobId, Instant.now(), src == null ? null : src.version(), src == null ? null : src.version(),
                    sizes, findings.list());
        }
        try (Connection admin = open(destination, MAINTENANCE_DATABASE, Side.DESTINATION, findings)) {
            if (admin != null) {
                DestinationCheck dst = new DestinationCheck(connector, destination, this::prepare, restart ? jobId : null);
                destinationVersion = dst.check(admin, src, databases, extensionsByDatabase, findings);
                for (Map.Entry<String, SourceRoles> e : rolesByDatabase.entrySet()) {
                    RolesCheck.check(e.getKey(), e.getValue(), admin, RoleHandling.of(roles), findings);
                }
            }
        } catch (SQLException e) {
            checkFailed(findings, Side.DESTINATION, null, "the destination server", e);
        }
        return PreflightReport.of(jobId, Instant.now(), src == null ? null : src.version(), destinationVersion, sizes,
                findings.list());
    }

    /** How many of the job's slots for these databases exist on the source. */
    private static int ownSlots(Connection admin, String jobId, List<String> databases) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ANY (?)")) {
            // Every replication group's slot the job may have made (a restart replaces them all).
            ps.setArray(1, admin.createArrayOf("text", databases.stream().flatMap(db -> ReplicationGroups.first(ReplicationNames.slot(jobId, db),
                    ReplicationNames.publication(jobId, db), CommandValidator.MAX_CDC_PARALLELISM).stream())
                    .map(ReplicationGroups.Group::slotName).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Source and destination told apart by the servers' identity, not the profiles (one server
     * under two names would copy each database onto itself). A server that cannot be reached is
     * reported by the other checks.
     */
    private boolean sameServer(ConnectionProfile source, ConnectionProfile destination, Findings findings) {
        try (Connection src = connector.open(source, MAINTENANCE_DATABASE);
             Connection dst = connector.open(destination, MAINTENANCE_DATABASE)) {
            prepare(src);
            prepare(dst);
            ServerIdentity.requireDifferent(src, dst);
            return false;
        } catch (ServerIdentity.SameServerException e) {
            findings.error(SAME_SERVER, Side.DESTINATION, null, null, e.getMessage(),
                    "give the job a destination connection profile of another server");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private List<String> resolveDatabases(Connection admin, List<String> requested, Map<String, Long> sizes, Findings findings)
            throws SQLException {
        Map<String, Long> existing = new LinkedHashMap<>();
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT datname, pg_database_size(oid) FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname")) {
            while (rs.next()) {
                existing.put(rs.getString(1), rs.getLong(2));
            }
        }
        List<String> databases = requested == null || requested.isEmpty() ? List.copyOf(existing.keySet()) : requested;
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String db : databases) {
            if (existing.containsKey(db)) {
                present.add(db);
                sizes.put(db, existing.get(db));
            } else {
                missing.add(db);
            }
        }
        if (!missing.isEmpty()) {
            findings.error(SOURCE_DATABASE_MISSING, Side.SOURCE, null, missing,
                    "the source has no database " + String.join(", ", missing) + " that accepts connections",
                    "fix the job's databases (edit the job) or create the database on the source");
        }
        if (databases.isEmpty()) {
            findings.error(NO_DATABASE_TO_MIGRATE, Side.SOURCE, null, null, "the source has no database to migrate",
                    "create the database to migrate, or check the connection profile points to the right server");
        }
        return present;
    }

    /** A session for the checks, or null (and a finding) when the server cannot be reached or refuses us. */
    private Connection open(ConnectionProfile profile, String database, Side side, Findings findings) throws SQLException {
        Connection conn;
        try {
            conn = connector.open(profile, database);
        } catch (SQLException e) {
            String where = side.name().toLowerCase() + " " + profile.id() + " (" + PgConnector.host(profile) + ":"
                    + PgConnector.port(profile) + ", database " + database + ")";
            if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                findings.error(AUTHENTICATION_FAILED, side, database, null, "cannot log in to the " + where + " as "
                        + profile.username() + ": " + e.getMessage(), "check the connection profile's username and"
                        + " password, and that pg_hba.conf lets this user connect from the migration service");
            } else {
                findings.error(CONNECTION_FAILED, side, database, null, "cannot connect to the " + where + ": " + e.getMessage(),
                        "check the host, port and sslMode of the connection profile, that the server runs, and that"
                                + " the network (firewall, listen_addresses) lets the migration service reach it");
            }
            return null;
        }
        prepare(conn);
        return conn;
    }

    private void prepare(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SET statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
            st.execute("SET default_transaction_read_only = on");
        }
    }

    private static void checkFailed(Findings findings, Side side, String database, String what, SQLException e) {
        findings.warning(CHECK_FAILED, side, database, null, "could not check " + what + ": " + e.getMessage()
                        + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"),
                "look at the server; verify again when it answers");
    }

    /** Runs an SQL statement with one text parameter and returns the first column of each row. */
    static List<String> strings(Connection conn, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
