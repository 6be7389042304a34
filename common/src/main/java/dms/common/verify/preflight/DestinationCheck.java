package dms.common.verify.preflight;

import static dms.common.verify.preflight.FindingCode.*;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.PreflightReport.Side;
import dms.common.pg.internal.DatabaseOwnership;
import dms.common.pg.PgConnector;
import dms.common.pg.UserTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The destination's checks: a version that can restore the source's schema, the right to create
 * the databases, the source's extensions, and no job database that exists with tables in it (the
 * dump refuses to mix its copy with them).
 */
final class DestinationCheck {


    interface SessionSetup {
        void prepare(Connection conn) throws SQLException;
    }

    private final PgConnector connector;
    private final ConnectionProfile profile;
    private final SessionSetup setup;
    /** The job whose restart is checked (it drops the databases it created), or null for a new start. */
    private final String restartOf;

    DestinationCheck(PgConnector connector, ConnectionProfile profile, SessionSetup setup, String restartOf) {
        this.connector = connector;
        this.profile = profile;
        this.setup = setup;
        this.restartOf = restartOf;
    }

    /** Returns the destination's version. */
    String check(Connection admin, SourceServer source, List<String> databases, Map<String, List<String>> extensionsByDatabase,
                 Findings findings) throws SQLException {
        int versionNum;
        String version;
        boolean superuser;
        boolean createdb;
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT current_setting('server_version_num')::int, current_setting('server_version'), r.rolsuper, r.rolcreatedb"
                        + " FROM pg_roles r WHERE r.rolname = current_user")) {
            rs.next();
            versionNum = rs.getInt(1);
            version = rs.getString(2);
            superuser = rs.getBoolean(3);
            createdb = rs.getBoolean(4);
        }
        if (source != null && versionNum / 10000 < source.major()) {
            findings.error(DESTINATION_VERSION_OLDER, Side.DESTINATION, null, null, "the destination runs PostgreSQL "
                    + version + ", older than the source's " + source.version() + ": the source's schema may not restore",
                    "migrate to a destination of the source's major version or newer");
        }
        Set<String> available = new HashSet<>(PreflightCheck.strings(admin, "SELECT name FROM pg_available_extensions"));
        extensionsByDatabase.forEach((db, used) -> {
            List<String> missing = used.stream().filter(e -> !available.contains(e)).toList();
            if (!missing.isEmpty()) {
                findings.error(EXTENSION_MISSING_ON_DESTINATION, Side.DESTINATION, db, missing, "database " + db
                        + " uses extension(s) the destination does not offer: " + String.join(", ", missing),
                        "install the extension(s) on the destination (or enable them in the provider's settings),"
                                + " or drop them on the source if unused");
            }
        });
        Set<String> existing = new HashSet<>(PreflightCheck.strings(admin, "SELECT datname FROM pg_database"));
        List<String> toCreate = new ArrayList<>();
        for (String db : databases) {
            if (!existing.contains(db)) {
                toCreate.add(db);
                continue;
            }
            try (Connection conn = connector.open(profile, db)) {
                setup.prepare(conn);
                long tables = UserTables.count(conn);
                if (tables == 0 || (restartOf != null && DatabaseOwnership.createdBy(conn, restartOf))) {
                    continue; // empty, or the job's own database, which its restart drops and makes anew
                }
                if (restartOf == null) {
                    findings.error(DESTINATION_DATABASE_NOT_EMPTY, Side.DESTINATION, db, null, "database " + db
                            + " exists on the destination and holds " + tables + " table(s): the dump would mix its copy with them",
                            "drop the destination database (or empty it), or migrate into another destination");
                } else {
                    findings.error(DESTINATION_DATABASE_NOT_EMPTY, Side.DESTINATION, db, null, "database " + db
                            + " exists on the destination and holds " + tables + " table(s), and job " + restartOf
                            + " did not create it: a restart drops only databases the job created",
                            "drop or empty the destination database yourself if its data is not needed, then restart");
                }
            }
        }
        if (!toCreate.isEmpty() && !superuser && !createdb) {
            findings.error(MISSING_CREATEDB_PRIVILEGE, Side.DESTINATION, null, toCreate,
                    "the destination user may not create databases, and the job must create " + String.join(", ", toCreate),
                    "ALTER ROLE <user> CREATEDB on the destination, or create the databases beforehand (empty)");
        }
        return version;
    }
}
