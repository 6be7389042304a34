package dms.orchestrator.commands;

import dms.common.kafka.Topics;
import dms.common.messages.Command;
import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.common.statemachine.JobState;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Creates and deletes connection profiles; publishes them (without secrets) on dms.connection-profiles. */
@ApplicationScoped
public class ProfileCommands {

    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    SecretCipher cipher;

    public ConnectionProfile create(Command c) {
        ConnectionProfile p = c.connectionProfile();
        if (ConnectionProfileEntity.findById(p.id()) != null) {
            throw CommandRejected.alreadyExists("connection profile " + p.id() + " already exists");
        }
        ConnectionProfileEntity row = new ConnectionProfileEntity();
        row.id = p.id();
        row.displayName = p.displayName() != null ? p.displayName() : p.id();
        row.host = p.host();
        row.port = p.port();
        row.username = p.username();
        row.encryptedPassword = sealedPassword(p);
        row.sslMode = p.sslMode() != null ? p.sslMode() : ConnectionProfile.DEFAULT_SSL_MODE;
        row.createTime = Instant.now();
        row.persist();
        ConnectionProfile published = row.toMessage(false);
        outbox.add(topics.profiles(), row.id, published);
        return published;
    }

    /** Automation may send the password in clear; it is stored and passed on only encrypted. */
    private String sealedPassword(ConnectionProfile p) {
        if (p.encryptedPassword() != null) {
            try {
                cipher.decrypt(p.encryptedPassword());
            } catch (IllegalArgumentException e) {
                throw CommandRejected.invalid("connectionProfile.encryptedPassword: " + e.getMessage());
            }
            return p.encryptedPassword();
        }
        return p.password() == null ? null : cipher.encrypt(p.password());
    }

    public Map<String, Object> delete(Command c) {
        ConnectionProfileEntity row = ConnectionProfileEntity.findById(c.profileId());
        if (row == null) {
            throw CommandRejected.notFound("connection profile " + c.profileId() + " does not exist");
        }
        List<String> users = MigrationJobEntity.<MigrationJobEntity>list(
                        "(sourceProfile = ?1 or destinationProfile = ?1) and state <> ?2", row.id, JobState.DELETED)
                .stream().map(j -> j.id).toList();
        if (!users.isEmpty()) {
            throw CommandRejected.precondition("connection profile " + row.id + " is used by jobs " + users
                    + "; delete them first", Map.of("jobs", users));
        }
        row.delete();
        outbox.add(topics.profiles(), row.id, null);
        return Map.of("name", "connectionProfiles/" + row.id, "deleted", true);
    }
}
