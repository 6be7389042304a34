package dms.orchestrator.store;

import dms.common.messages.ConnectionProfile;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "connection_profile")
public class ConnectionProfileEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    public String host;
    public int port;
    public String username;
    /** Only ever the {@code SecretCipher} form; never the clear password. */
    @Column(name = "encrypted_password")
    public String encryptedPassword;
    @Column(name = "ssl_mode")
    public String sslMode;
    @Column(name = "ssl_root_cert")
    public String sslRootCert;
    @Column(name = "ssl_cert")
    public String sslCert;
    /** Only ever the {@code SecretCipher} form, like the password. */
    @Column(name = "encrypted_ssl_key")
    public String encryptedSslKey;
    @Column(name = "create_time")
    public Instant createTime;
    @Column(name = "update_time")
    public Instant updateTime;
    @Version
    public long version;

    /** A job's profile as workers get it (secrets encrypted); the job keeps its profiles, so it must exist. */
    public static ConnectionProfile forWorkers(String id) {
        ConnectionProfileEntity row = findById(id);
        if (row == null) {
            throw new IllegalStateException("connection profile " + id + " of a job is gone");
        }
        return row.toMessage(true);
    }

    /** The profile as messages carry it: the secrets encrypted, or absent when {@code withSecrets} is false. */
    public ConnectionProfile toMessage(boolean withSecrets) {
        return new ConnectionProfile(id, displayName, host, port, username, null, withSecrets ? encryptedPassword : null, sslMode,
                sslRootCert, sslCert, null, withSecrets ? encryptedSslKey : null, createTime, updateTime);
    }

    /** Takes every field of {@code p}, whose secrets must be encrypted already (they are stored as given). */
    public void set(ConnectionProfile p) {
        if (p.password() != null || p.sslKey() != null) {
            throw new IllegalArgumentException("connection profile " + p.id() + ": a clear secret is never stored");
        }
        id = p.id();
        displayName = p.displayName();
        host = p.host();
        port = p.port();
        username = p.username();
        encryptedPassword = p.encryptedPassword();
        sslMode = p.sslMode();
        sslRootCert = p.sslRootCert();
        sslCert = p.sslCert();
        encryptedSslKey = p.encryptedSslKey();
        createTime = p.createTime();
        updateTime = p.updateTime();
    }
}
