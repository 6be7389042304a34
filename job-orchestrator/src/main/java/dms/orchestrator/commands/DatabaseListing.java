package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.ProfileDatabases;
import dms.common.pg.PgConnector;
import dms.common.secret.SecretCipher;
import dms.common.statemachine.JobState;
import dms.common.verify.preflight.PreflightCheck;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers {@code LIST_DATABASES}: the databases of a profile's server that its user may connect to,
 * with their size and the jobs that already migrate them. The orchestrator does it because it holds
 * the profiles' secrets (the API never decrypts one). Runs before the write lock, as the pre-flight:
 * it talks to the server ({@code dms.source.connect-timeout}). A server that cannot be reached is an
 * {@code UNAVAILABLE} error whose message says the driver's reason, which never holds the password.
 */
@ApplicationScoped
public class DatabaseListing {

    private static final String QUERY = """
            select d.datname, pg_database_size(d.oid) from pg_database d
            where not d.datistemplate and d.datallowconn and has_database_privilege(d.oid, 'CONNECT')
            order by d.datname""";

    @Inject
    SecretCipher cipher;

    @ConfigProperty(name = "dms.source.connect-timeout", defaultValue = "5s")
    Duration connectTimeout;

    /** The listing the command asks for; null for any other command. */
    public ProfileDatabases runFor(Command c) {
        if (c.type() != CommandType.LIST_DATABASES) {
            return null;
        }
        ConnectionProfile profile = QuarkusTransaction.requiringNew().call(() -> {
            ConnectionProfileEntity p = ConnectionProfileEntity.findById(c.profileId());
            return p == null ? null : p.toMessage(true);
        });
        if (profile == null) {
            throw CommandRejected.notFound("no connection profile " + c.profileId());
        }
        Map<String, Long> sizes = sizes(profile);
        Map<String, List<String>> jobs = QuarkusTransaction.requiringNew().call(() -> jobsMigrating(profile.id(), sizes.keySet()));
        List<ProfileDatabases.Database> databases = new ArrayList<>();
        sizes.forEach((name, size) -> databases.add(new ProfileDatabases.Database(name, size,
                SourceDatabases.NOT_MIGRATED.contains(name), jobs.getOrDefault(name, List.of()))));
        return new ProfileDatabases(profile.id(), databases);
    }

    private Map<String, Long> sizes(ConnectionProfile profile) {
        PgConnector connector = new PgConnector(cipher, "dms-orchestrator", connectTimeout, Duration.ofSeconds(30));
        try (Connection conn = connector.open(profile, PreflightCheck.MAINTENANCE_DATABASE);
             PreparedStatement st = conn.prepareStatement(QUERY);
             ResultSet rs = st.executeQuery()) {
            Map<String, Long> sizes = new TreeMap<>();
            while (rs.next()) {
                sizes.put(rs.getString(1), rs.getLong(2));
            }
            return sizes;
        } catch (SQLException e) {
            throw CommandRejected.unavailable("cannot list the databases of connection profile " + profile.id() + " ("
                    + profile.host() + ":" + profile.port() + "): " + e.getMessage(), Map.of("profile", profile.id()));
        }
    }

    /** Database name to the jobs (not deleted) whose source is the profile and that migrate it. */
    private static Map<String, List<String>> jobsMigrating(String profileId, java.util.Set<String> names) {
        Map<String, List<String>> out = new TreeMap<>();
        List<MigrationJobEntity> jobs = MigrationJobEntity.list("sourceProfile = ?1 and state <> ?2 order by id", profileId, JobState.DELETED);
        for (MigrationJobEntity job : jobs) {
            List<String> migrated = JobDatabaseEntity.<JobDatabaseEntity>list("jobId", job.id).stream().map(d -> d.name).toList();
            for (String name : names) {
                boolean taken = migrated.contains(name) || job.requestedDatabases.contains(name)
                        || job.requestedDatabases.isEmpty() && migrated.isEmpty() && !SourceDatabases.NOT_MIGRATED.contains(name);
                if (taken) {
                    out.computeIfAbsent(name, n -> new ArrayList<>()).add(job.id);
                }
            }
        }
        return out;
    }
}
