package dms.api.config;

import dms.common.secret.SecretCipher;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The cipher for profile passwords; a bad key stops the start, the public dev key is warned about. */
public class SecretCipherProducer {

    @Produces
    @Singleton
    @Startup // at start: a bad key fails fast, the dev-key warning shows in the first lines
    SecretCipher cipher(@ConfigProperty(name = "dms.secret-key") String key) {
        return SecretCipher.fromConfig(key, message -> Log.warn(message));
    }
}
