package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.pg.PgConnector;
import dms.common.pg.ServerIdentity;
import dms.common.secret.SecretCipher;
import dms.common.verify.preflight.PreflightCheck;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.MigrationJobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses a new job whose destination profile reaches the source's own server (two names for
 * one server: profile ids tell nothing), and a profile edit after which some job's source and
 * destination would. Runs before the write transaction: it talks to both servers. A server that
 * does not answer now is not a refusal: the pre-flight and the dump-worker, which checks again
 * before it creates or drops anything, say it later.
 */
@ApplicationScoped
public class SameServerCheck {

    private static final Logger LOG = Logger.getLogger(SameServerCheck.class);

    @Inject
    SecretCipher cipher;

    @ConfigProperty(name = "dms.source.connect-timeout", defaultValue = "5s")
    Duration connectTimeout;

    public void check(Command c) {
        if (c.type() == CommandType.CREATE_JOB && c.job() != null) {
            ConnectionProfile source = profile(c.job().source());
            ConnectionProfile destination = profile(c.job().destination());
            if (source != null && destination != null) { // else named in the create's own error
                requireDifferent(source, destination, "job.destination: connection profile " + destination.id()
                        + " reaches the server of source profile " + source.id());
            }
        } else if (c.type() == CommandType.UPDATE_CONNECTION_PROFILE && c.connectionProfile() != null) {
            ConnectionProfile stored = profile(c.profileId());
            if (stored == null) {
                return; // the edit's own error: not found
            }
            ConnectionProfile edited = stored.edited(c.connectionProfile(), null);
            for (JobProfiles job : jobsOf(c.profileId())) {
                boolean isSource = c.profileId().equals(job.source());
                ConnectionProfile other = profile(isSource ? job.destination() : job.source());
                if (other != null) {
                    requireDifferent(isSource ? edited : other, isSource ? other : edited, "connectionProfile: with this"
                            + " change the source and destination of job " + job.id() + " reach one server");
                }
            }
        }
    }

    private void requireDifferent(ConnectionProfile source, ConnectionProfile destination, String refusal) {
        PgConnector connector = new PgConnector(cipher, "dms-orchestrator", connectTimeout, Duration.ofSeconds(30));
        try (Connection src = connector.open(source, PreflightCheck.MAINTENANCE_DATABASE);
             Connection dst = connector.open(destination, PreflightCheck.MAINTENANCE_DATABASE)) {
            ServerIdentity.requireDifferent(src, dst);
        } catch (ServerIdentity.SameServerException e) {
            throw CommandRejected.invalid(refusal + ": " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Profiles %s and %s not compared now (%s)", source.id(), destination.id(), e.getMessage());
        }
    }

    private static ConnectionProfile profile(String id) {
        if (id == null) {
            return null;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ConnectionProfileEntity p = ConnectionProfileEntity.findById(id);
            return p == null ? null : p.toMessage(true);
        });
    }

    private record JobProfiles(String id, String source, String destination) {}

    private static List<JobProfiles> jobsOf(String profileId) {
        return QuarkusTransaction.requiringNew().call(() -> MigrationJobEntity.usingProfile(profileId).stream()
                .map(j -> new JobProfiles(j.id, j.sourceProfile, j.destinationProfile)).toList());
    }
}
