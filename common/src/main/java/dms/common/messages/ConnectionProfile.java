package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.secret.SecretCipher;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * A database server to migrate from or to. Its secrets, the password and the TLS client key,
 * travel only encrypted ({@code encryptedPassword}, {@code encryptedSslKey}, see
 * {@link SecretCipher}); {@code password} and {@code sslKey} are accepted in clear from
 * clients, encrypted on receipt, and never written out again. The TLS files are PEM text:
 * {@code sslRootCert} the CA certificate(s) that verify the server, {@code sslCert} and
 * {@code sslKey} the client's certificate and its PKCS #8 key.
 *
 * <p>As the changes of an edit ({@code UPDATE_CONNECTION_PROFILE}), a null field is left as it
 * is and an empty one removes the value (password, TLS files).
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
        String sslRootCert,
        String sslCert,
        String sslKey,
        String encryptedSslKey,
        Instant createTime,
        Instant updateTime) {

    public static final String DEFAULT_SSL_MODE = "prefer";

    /** A profile without TLS files, never edited. */
    public ConnectionProfile(String id, String displayName, String host, Integer port, String username, String password,
                             String encryptedPassword, String sslMode, Instant createTime) {
        this(id, displayName, host, port, username, password, encryptedPassword, sslMode, null, null, null, null, createTime, null);
    }

    /** The same profile with the secrets removed: what reads and documents show. */
    public ConnectionProfile withoutSecrets() {
        return new ConnectionProfile(id, displayName, host, port, username, null, null, sslMode, sslRootCert, sslCert, null, null,
                createTime, updateTime);
    }

    /** The same profile with its clear secrets encrypted: what may travel. An empty one stays empty (it removes the value). */
    public ConnectionProfile sealed(SecretCipher cipher) {
        return new ConnectionProfile(id, displayName, host, port, username, null, seal(password, encryptedPassword, cipher), sslMode,
                sslRootCert, sslCert, null, seal(sslKey, encryptedSslKey, cipher), createTime, updateTime);
    }

    private static String seal(String clear, String encrypted, SecretCipher cipher) {
        return clear == null ? encrypted : clear.isEmpty() ? "" : cipher.encrypt(clear);
    }

    public ConnectionProfile withIdAndTime(String newId, Instant time) {
        return new ConnectionProfile(newId, displayName, host, port, username, password, encryptedPassword, sslMode, sslRootCert,
                sslCert, sslKey, encryptedSslKey, time, updateTime);
    }

    /**
     * This profile with the fields {@code changes} gives replaced (an empty password or TLS file
     * removes it; a secret given in clear replaces the encrypted one and the other way round),
     * edited at {@code time}. The id and creation time stay.
     */
    public ConnectionProfile edited(ConnectionProfile changes, Instant time) {
        boolean newPassword = changes.password != null || changes.encryptedPassword != null;
        boolean newKey = changes.sslKey != null || changes.encryptedSslKey != null;
        return new ConnectionProfile(id,
                pick(changes.displayName, displayName), pick(changes.host, host), pick(changes.port, port),
                pick(changes.username, username),
                newPassword ? emptyToNull(changes.password) : password,
                newPassword ? emptyToNull(changes.encryptedPassword) : encryptedPassword,
                pick(changes.sslMode, sslMode),
                changes.sslRootCert != null ? emptyToNull(changes.sslRootCert) : sslRootCert,
                changes.sslCert != null ? emptyToNull(changes.sslCert) : sslCert,
                newKey ? emptyToNull(changes.sslKey) : sslKey,
                newKey ? emptyToNull(changes.encryptedSslKey) : encryptedSslKey,
                createTime, time);
    }

    /** As the changes of an edit: nothing to change. */
    @JsonIgnore
    public boolean isNoChange() {
        return Stream.of(displayName, host, port, username, password, encryptedPassword, sslMode, sslRootCert, sslCert, sslKey,
                encryptedSslKey).allMatch(v -> v == null);
    }

    private static <T> T pick(T change, T current) {
        return change != null ? change : current;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return "ConnectionProfile[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username
                + ", sslMode=" + sslMode + ", password=" + (password == null && encryptedPassword == null ? "none" : "***")
                + ", sslRootCert=" + (sslRootCert == null ? "none" : "PEM") + ", sslCert=" + (sslCert == null ? "none" : "PEM")
                + ", sslKey=" + (sslKey == null && encryptedSslKey == null ? "none" : "***") + "]";
    }
}
