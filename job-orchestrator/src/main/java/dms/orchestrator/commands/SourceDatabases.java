package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.pg.PgConnector;
import dms.common.statemachine.JobState;
import dms.common.secret.SecretCipher;
import dms.orchestrator.store.ConnectionProfileEntity;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Resolves "all databases" of a job's source when it starts or restarts: every database
 * that is not a template and accepts connections. A restart thus picks up databases created
 * since the first start. Also lists them for an edit of a started job's databases.
 * Runs before the write transaction: it talks to the source.
 */
@ApplicationScoped
public class SourceDatabases {

    /**
     * Maintenance databases that "all databases" leaves out, as DMS does: the destination has its
     * own (a restart could not drop the one it connects to), and cloud admin databases are not the user's.
     * Name one in the job's databases to migrate it anyway.
     */
    static final List<String> NOT_MIGRATED = List.of("postgres", "cloudsqladmin", "alloydbadmin", "rdsadmin",
            "azure_maintenance", "azure_sys");

    @Inject
    SecretCipher cipher;

    @ConfigProperty(name = "dms.source.connect-timeout", defaultValue = "5s")
    Duration connectTimeout;

    public Map<String, List<String>> resolveFor(Command c) {
        boolean edit = c.type() == CommandType.UPDATE_JOB && c.patch() != null && c.patch().databases() != null;
        if (c.type() != CommandType.START && c.type() != CommandType.RESTART && !edit) {
            return Map.of();
        }
        Map<String, List<String>> resolved = new HashMap<>();
        for (String jobId : c.targetJobIds()) {
            ConnectionProfileEntity source = QuarkusTransaction.requiringNew().call(() -> {
                MigrationJobEntity job = MigrationJobEntity.findById(jobId);
                // Needed for "all databases" at start or restart, and for an edit of a started job's databases:
                // to check the names added, or to resolve "all databases" when the edit switches to it.
                boolean needed = job != null && (edit ? job.state != JobState.DRAFT && job.state != JobState.NOT_STARTED
                        : job.requestedDatabases.isEmpty());
                if (!needed) {
                    return null;
                }
                ConnectionProfileEntity p = ConnectionProfileEntity.findById(job.sourceProfile);
                if (p != null) {
                    ConnectionProfileEntity.getEntityManager().detach(p);
                }
                return p;
            });
            if (source != null) {
                resolved.put(jobId, list(source));
            }
        }
        return resolved;
    }

    private List<String> list(ConnectionProfileEntity p) {
        PgConnector connector = new PgConnector(cipher, "dms-orchestrator", connectTimeout, Duration.ofSeconds(30));
        try (Connection conn = connector.open(p.toMessage(true), "postgres");
             PreparedStatement st = conn.prepareStatement(
                     "select datname from pg_database where not datistemplate and datallowconn and datname <> all(?) order by datname")) {
            st.setArray(1, conn.createArrayOf("text", NOT_MIGRATED.toArray()));
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw CommandRejected.precondition("cannot list the databases of source " + p.id + " (" + p.host + ":" + p.port
                    + "): " + e.getMessage(), Map.of("profile", p.id));
        }
    }
}
