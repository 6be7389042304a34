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
    @Column(name = "create_time")
    public Instant createTime;
    @Version
    public long version;

    /** A job's profile as workers get it (password encrypted); the job keeps its profiles, so it must exist. */
    public static ConnectionProfile forWorkers(String id) {
        ConnectionProfileEntity row = findById(id);
        if (row == null) {
            throw new IllegalStateException("connection profile " + id + " of a job is gone");
        }
        return row.toMessage(true);
    }

    /** The profile as messages carry it: the password encrypted, or absent when {@code withSecret} is false. */
    public ConnectionProfile toMessage(boolean withSecret) {
        return new ConnectionProfile(id, displayName, host, port, username, null,
                withSecret ? encryptedPassword : null, sslMode, createTime);
    }
}
