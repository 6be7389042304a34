package dms.api.config;

import dms.common.secret.SecretCipher;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The cipher for profile passwords; a bad key stops the start, the public dev key is warned about. */
public class SecretCipherProducer {

    /** Published in application.properties and the docs: anyone can decrypt with it. */
    static final String DEV_KEY = "ZG1zLWRldi1rZXktZG8tbm90LXVzZS1pbi1wcm9kISE=";

    @Produces
    @Singleton
    @Startup // at start: a bad key fails fast, the dev-key warning shows in the first lines
    SecretCipher cipher(@ConfigProperty(name = "dms.secret-key") String key) {
        if (DEV_KEY.equals(key.trim())) {
            Log.warn("dms.secret-key is the public development key: set DMS_SECRET_KEY to 32 random bytes (base64) outside development");
        }
        return new SecretCipher(key);
    }
}
