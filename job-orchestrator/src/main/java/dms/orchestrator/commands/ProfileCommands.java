package dms.orchestrator.commands;

import dms.common.kafka.Topics;
import dms.common.messages.Command;
import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.common.tls.Pem;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.JobLifecycle;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Creates, edits and deletes connection profiles; publishes them (without secrets) on
 * dms.connection-profiles. An edit reaches the jobs that use the profile at their next
 * connection: tasks take the stored profile when they are sent, and running CDC streams get it
 * at once (their desired state is sent again, and a stream whose servers changed reconnects).
 */
@ApplicationScoped
public class ProfileCommands {

    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    SecretCipher cipher;
    @Inject
    JobLifecycle lifecycle;

    public ConnectionProfile create(Command c) {
        ConnectionProfile p = c.connectionProfile();
        if (ConnectionProfileEntity.findById(p.id()) != null) {
            throw CommandRejected.alreadyExists("connection profile " + p.id() + " already exists");
        }
        ConnectionProfile blank = new ConnectionProfile(p.id(), p.id(), null, null, null, null, null,
                ConnectionProfile.DEFAULT_SSL_MODE, Instant.now());
        ConnectionProfileEntity row = new ConnectionProfileEntity();
        row.set(blank.edited(sealed(p), null));
        row.persist();
        return publish(row);
    }

    public ConnectionProfile update(Command c) {
        ConnectionProfileEntity row = ConnectionProfileEntity.findById(c.profileId());
        if (row == null) {
            throw CommandRejected.notFound("connection profile " + c.profileId() + " does not exist");
        }
        row.set(row.toMessage(true).edited(sealed(c.connectionProfile()), Instant.now()));
        ConnectionProfile published = publish(row);
        for (MigrationJobEntity job : MigrationJobEntity.usingProfile(row.id)) {
            lifecycle.apply(job, new Input.ProfilesChanged(Instant.now()));
        }
        return published;
    }

    public Map<String, Object> delete(Command c) {
        ConnectionProfileEntity row = ConnectionProfileEntity.findById(c.profileId());
        if (row == null) {
            throw CommandRejected.notFound("connection profile " + c.profileId() + " does not exist");
        }
        List<String> users = MigrationJobEntity.usingProfile(row.id).stream().map(j -> j.id).toList();
        if (!users.isEmpty()) {
            throw CommandRejected.precondition("connection profile " + row.id + " is used by jobs " + users
                    + "; delete them first", Map.of("jobs", users));
        }
        row.delete();
        outbox.add(topics.profiles(), row.id, null);
        return Map.of("name", "connectionProfiles/" + row.id, "deleted", true);
    }

    private ConnectionProfile publish(ConnectionProfileEntity row) {
        ConnectionProfile published = row.toMessage(false);
        outbox.add(topics.profiles(), row.id, published);
        return published;
    }

    /**
     * Automation may send secrets in clear: they are stored and passed on only encrypted. An
     * encrypted one must open with this installation's keys (and a key be a PKCS #8 key).
     */
    private ConnectionProfile sealed(ConnectionProfile p) {
        if (p.encryptedPassword() != null && !p.encryptedPassword().isEmpty()) {
            open(p.encryptedPassword(), "encryptedPassword");
        }
        if (p.encryptedSslKey() != null && !p.encryptedSslKey().isEmpty()) {
            try {
                Pem.pkcs8Key(open(p.encryptedSslKey(), "encryptedSslKey"));
            } catch (IllegalArgumentException e) {
                throw CommandRejected.invalid("connectionProfile.encryptedSslKey: " + e.getMessage());
            }
        }
        return p.sealed(cipher);
    }

    private String open(String sealed, String field) {
        try {
            return cipher.decrypt(sealed);
        } catch (IllegalArgumentException e) {
            throw CommandRejected.invalid("connectionProfile." + field + ": " + e.getMessage());
        }
    }
}
