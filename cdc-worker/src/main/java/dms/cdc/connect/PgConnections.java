package dms.cdc.connect;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC sessions to the servers of a job from their {@link ConnectionProfile}s. The password
 * arrives encrypted and is decrypted only here (and for Debezium's configuration, see
 * {@link #password(ConnectionProfile)}), at the moment of connecting.
 */
public final class PgConnections {

    /** Shows in pg_stat_activity, so our sessions can be told apart. */
    public static final String APPLICATION_NAME = "dms-cdc-worker";
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final SecretCipher cipher;

    public PgConnections(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** A normal session, autocommit on. */
    public Connection open(ConnectionProfile profile, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", profile.username());
        String password = password(profile);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("sslmode", sslMode(profile));
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("tcpKeepAlive", "true");
        Connection connection = DriverManager.getConnection(jdbcUrl(profile, database), props);
        connection.setAutoCommit(true);
        return connection;
    }

    /** The clear password of a profile (null if it has none). */
    public String password(ConnectionProfile profile) {
        if (profile.encryptedPassword() != null) {
            return cipher.decrypt(profile.encryptedPassword());
        }
        // A profile built in-process (tests, tools) may still hold the clear password; messages never do.
        return profile.password();
    }

    public static String host(ConnectionProfile profile) {
        if (profile.host() == null || profile.host().isBlank()) {
            throw new IllegalArgumentException("connection profile " + profile.id() + " has no host");
        }
        String host = profile.host().trim();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public static int port(ConnectionProfile profile) {
        return profile.port() == null ? 5432 : profile.port();
    }

    public static String sslMode(ConnectionProfile profile) {
        return profile.sslMode() == null || profile.sslMode().isBlank() ? ConnectionProfile.DEFAULT_SSL_MODE : profile.sslMode();
    }

    /** The JDBC URL without credentials; an IPv6 host gets brackets, the database is URL-encoded. */
    public static String jdbcUrl(ConnectionProfile profile, String database) {
        if (database == null || database.isEmpty()) {
            throw new IllegalArgumentException("no database given");
        }
        String host = host(profile);
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "jdbc:postgresql://" + host + ":" + port(profile) + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }
}
