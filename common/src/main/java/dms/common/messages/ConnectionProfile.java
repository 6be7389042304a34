package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A database server to migrate from or to. The password travels only encrypted
 * ({@code encryptedPassword}, see {@link dms.common.secret.SecretCipher}); {@code password}
 * is accepted in clear from clients, encrypted on receipt, and never written out again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionProfile(
        String id,
        String displayName,
        String host,
        Integer port,
        String username,
        String password,
        String encryptedPassword,
        String sslMode,
        Instant createTime) {

    public static final String DEFAULT_SSL_MODE = "prefer";

    /** The same profile with the secret removed: what reads and documents show. */
    public ConnectionProfile withoutSecrets() {
        return new ConnectionProfile(id, displayName, host, port, username, null, null, sslMode, createTime);
    }

    public ConnectionProfile withEncryptedPassword(String encrypted) {
        return new ConnectionProfile(id, displayName, host, port, username, null, encrypted, sslMode, createTime);
    }

    public ConnectionProfile withIdAndTime(String newId, Instant time) {
        return new ConnectionProfile(newId, displayName, host, port, username, password, encryptedPassword, sslMode, time);
    }

    @Override
    public String toString() {
        return "ConnectionProfile[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username
                + ", sslMode=" + sslMode + ", password=" + (password == null && encryptedPassword == null ? "none" : "***") + "]";
    }
}
