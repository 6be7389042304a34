package dms.common.secret;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.logging.Logger;

/** The cipher of every service, from {@link SecretKeySettings}; built at start, so a bad or missing key stops the service at once. */
@ApplicationScoped
public class SecretCipherProducer {

    /** java.util.logging: Quarkus's log manager takes it, and common needs no logging library. */
    private static final Logger LOG = Logger.getLogger(SecretCipherProducer.class.getName());

    @ConfigProperty(name = "dms.secret-key")
    Optional<String> key;
    @ConfigProperty(name = "dms.secret-key-version", defaultValue = "1")
    int keyVersion;
    @ConfigProperty(name = "dms.secret-previous-keys")
    Optional<String> previousKeys;
    @ConfigProperty(name = SecretKeySettings.ALLOW_DEVELOPMENT_KEY, defaultValue = "false")
    boolean allowDevelopmentKey;

    @Produces
    @Singleton
    SecretCipher cipher() {
        SecretCipher cipher = new SecretKeySettings(key, keyVersion, previousKeys, allowDevelopmentKey).cipher(LOG::warning);
        LOG.info("Profile secrets are sealed with key version " + cipher.currentVersion());
        return cipher;
    }

    void atStart(@Observes @Initialized(ApplicationScoped.class) Object start, SecretCipher cipher) {
        // Injecting it is the point: the producer runs (and fails) now, not at the first password.
    }
}
