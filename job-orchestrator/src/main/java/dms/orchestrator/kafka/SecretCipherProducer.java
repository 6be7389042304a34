package dms.orchestrator.kafka;

import dms.common.secret.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The cipher for profile passwords, keyed from {@code dms.secret-key}. */
@ApplicationScoped
public class SecretCipherProducer {

    @ConfigProperty(name = "dms.secret-key")
    String key;

    @Produces
    @ApplicationScoped
    SecretCipher cipher() {
        return SecretCipher.fromConfig(key, Logger.getLogger(SecretCipherProducer.class)::warn);
    }
}
