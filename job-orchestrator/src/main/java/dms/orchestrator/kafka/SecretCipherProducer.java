package dms.orchestrator.kafka;

import dms.common.secret.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The cipher for profile passwords, keyed from {@code dms.secret-key}. */
@ApplicationScoped
public class SecretCipherProducer {

    static final String DEV_KEY = "ZG1zLWRldi1rZXktZG8tbm90LXVzZS1pbi1wcm9kISE=";

    @ConfigProperty(name = "dms.secret-key")
    String key;

    @Produces
    @ApplicationScoped
    SecretCipher cipher() {
        if (DEV_KEY.equals(key.trim())) {
            Logger.getLogger(SecretCipherProducer.class)
                    .warn("dms.secret-key is the development key: set DMS_SECRET_KEY to 32 random bytes (base64) in production");
        }
        return new SecretCipher(key);
    }
}
