package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.pg.PgConnector;
import dms.common.pg.ServerIdentity;
import dms.common.secret.SecretCipher;
import dms.common.verify.preflight.PreflightCheck;
import dms.orchestrator.store.ConnectionProfileEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses a new job whose destination profile reaches the source's own server (two names for
 * one server: profile ids tell nothing). Runs before the write transaction: it talks to both
 * servers. A server that does not answer now is not a refusal: the pre-flight and the
 * dump-worker, which checks again before it creates or drops anything, say it later.
 */
@ApplicationScoped
public class SameServerCheck {

    private static final Logger LOG = Logger.getLogger(SameServerCheck.class);

    @Inject
    SecretCipher cipher;

    @ConfigProperty(name = "dms.source.connect-timeout", defaultValue = "5s")
    Duration connectTimeout;

    public void check(Command c) {
        if (c.type() != CommandType.CREATE_JOB || c.job() == null) {
            return;
        }
        ConnectionProfile source = profile(c.job().source());
        ConnectionProfile destination = profile(c.job().destination());
        if (source == null || destination == null) {
            return; // named in the create's own error
        }
        PgConnector connector = new PgConnector(cipher, "dms-orchestrator", connectTimeout, Duration.ofSeconds(30));
        try (Connection src = connector.open(source, PreflightCheck.MAINTENANCE_DATABASE);
             Connection dst = connector.open(destination, PreflightCheck.MAINTENANCE_DATABASE)) {
            ServerIdentity.requireDifferent(src, dst);
        } catch (ServerIdentity.SameServerException e) {
            throw CommandRejected.invalid("job.destination: connection profile " + destination.id() + " reaches the server of"
                    + " source profile " + source.id() + ": " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Job %s: source and destination not compared now (%s)", c.job().id(), e.getMessage());
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
}
