package dms.orchestrator.secrets;

import dms.common.secret.SecretCipher;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.JobLifecycle;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.store.StateWriter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Key rotation without a re-migration: at start, every stored profile secret sealed with an
 * older key version is sealed again with the current key, and the running CDC streams of the
 * jobs using the profile get the new ciphertext (their desired state is sent again; they do not
 * reconnect for it). Tasks sent before still carry the old ciphertext: the old key stays among
 * dms.secret-previous-keys until they are done (docs/security.md, key rotation).
 */
@ApplicationScoped
public class SecretReencryption {

    private static final Logger LOG = Logger.getLogger(SecretReencryption.class);

    @Inject
    StateWriter writer;
    @Inject
    SecretCipher cipher;
    @Inject
    JobLifecycle lifecycle;

    void atStart(@Observes StartupEvent start) {
        try {
            int changed = writer.write(this::reencryptStoredProfiles);
            if (changed > 0) {
                LOG.infof("Re-encrypted the secrets of %d connection profile(s) with key version %d", changed, cipher.currentVersion());
            }
        } catch (RuntimeException e) {
            LOG.errorf("Stored profile secrets were not re-encrypted (they will be at the next start): %s", e.getMessage());
        }
    }

    /** In a write transaction: the number of profiles whose secrets were sealed again. */
    int reencryptStoredProfiles() {
        int changed = 0;
        for (ConnectionProfileEntity profile : ConnectionProfileEntity.<ConnectionProfileEntity>listAll()) {
            try {
                if (!reencrypt(profile, cipher)) {
                    continue;
                }
            } catch (IllegalArgumentException e) {
                LOG.errorf("Connection profile %s: its secrets cannot be decrypted (%s); jobs using it cannot connect until"
                        + " the key is configured or the profile is edited", profile.id, e.getMessage());
                continue;
            }
            changed++;
            MigrationJobEntity.usingProfile(profile.id).forEach(job -> lifecycle.apply(job, new Input.ProfilesChanged(Instant.now())));
        }
        return changed;
    }

    /** Seals the profile's secrets with the current key where an older one sealed them; whether any changed. */
    static boolean reencrypt(ConnectionProfileEntity profile, SecretCipher cipher) {
        String password = profile.encryptedPassword == null ? null : cipher.reencrypt(profile.encryptedPassword);
        String key = profile.encryptedSslKey == null ? null : cipher.reencrypt(profile.encryptedSslKey);
        if (Objects.equals(password, profile.encryptedPassword) && Objects.equals(key, profile.encryptedSslKey)) {
            return false;
        }
        profile.encryptedPassword = password;
        profile.encryptedSslKey = key;
        return true;
    }
}
