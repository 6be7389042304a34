package dms.common.pg;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.common.tls.TlsFiles;
import dms.common.validation.HostNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Opens connections to the servers of a job from their {@link ConnectionProfile}s: JDBC for
 * this process, and the libpq environment for the pg_dump/pg_restore it starts. The password
 * and the TLS client key arrive encrypted and are decrypted only here, at the moment of
 * connecting; TLS files go to private files ({@link TlsFiles}), since both clients take paths.
 */
public final class PgConnector {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final SecretCipher cipher;
    private final String applicationName;
    private final long connectTimeoutSeconds;
    private final long socketTimeoutSeconds;

    /** @param applicationName shows in pg_stat_activity, so each service's sessions can be told apart */
    public PgConnector(SecretCipher cipher, String applicationName) {
        this(cipher, applicationName, CONNECT_TIMEOUT, Duration.ZERO);
    }

    /**
     * For short catalog reads on a caller that must not hang (a command handler): a server that
     * does not answer within {@code socketTimeout} fails the read. Zero: no read timeout (copies
     * and snapshot-holding sessions wait as long as they must).
     */
    public PgConnector(SecretCipher cipher, String applicationName, Duration connectTimeout, Duration socketTimeout) {
        this.cipher = cipher;
        this.applicationName = applicationName;
        this.connectTimeoutSeconds = Math.max(1, connectTimeout.toSeconds());
        this.socketTimeoutSeconds = Math.max(0, socketTimeout.toSeconds());
    }

    public String applicationName() {
        return applicationName;
    }

    /**
     * Every session that reads or writes values as text (copies, the CDC apply, checksums) renders
     * intervals in one style, whatever the server's or the database's IntervalStyle: text written in
     * one style may read back as another value in another (sql_standard's {@code -1 2:03:04} is
     * {@code -1 days -02:03:04}; read as postgres style, {@code -1 days +02:03:04}). pgjdbc already fixes
     * DateStyle (ISO). The walsender of a CDC stream is given the same setting (DebeziumConfig).
     */
    private static final String INTERVAL_STYLE = "postgres";

    /** {@link #open}'s setting as a startup option, for sessions opened by others (Debezium's walsender). */
    public static final String SESSION_SETTINGS = "-c IntervalStyle=" + INTERVAL_STYLE;

    /** A normal session, autocommit on, with {@link #SESSION_SETTINGS}. */
    public Connection open(ConnectionProfile profile, String database) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl(profile, database), properties(profile));
        try (Statement st = connection.createStatement()) {
            // A statement rather than the "options" startup parameter, which poolers such as PgBouncer refuse.
            st.execute("SET IntervalStyle = " + INTERVAL_STYLE);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.setAutoCommit(true);
        return connection;
    }

    /**
     * A logical replication session (walsender in database mode): it creates slots and exports
     * their snapshot. The replication protocol accepts only the simple query protocol.
     */
    public Connection openReplication(ConnectionProfile profile, String database) throws SQLException {
        Properties props = properties(profile);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        return DriverManager.getConnection(jdbcUrl(profile, database), props);
    }

    /**
     * The environment of a libpq child process (pg_dump, pg_restore): the password travels only
     * here, never on a command line where {@code ps} would show it. The database is not in it:
     * pass it with {@link #dbnameArgument(String)}.
     */
    public Map<String, String> libpqEnv(ConnectionProfile profile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host(profile));
        env.put("PGPORT", String.valueOf(port(profile)));
        env.put("PGUSER", profile.username());
        String password = password(profile);
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        env.put("PGSSLMODE", sslMode(profile));
        if (profile.sslRootCert() != null) {
            env.put("PGSSLROOTCERT", TlsFiles.shared().certificates(profile.sslRootCert()).toString());
        }
        if (profile.sslCert() != null) {
            env.put("PGSSLCERT", TlsFiles.shared().certificates(profile.sslCert()).toString());
        }
        String key = sslKey(profile);
        if (key != null) {
            env.put("PGSSLKEY", TlsFiles.shared().pemKey(key).toString());
        }
        env.put("PGAPPNAME", applicationName);
        env.put("PGCONNECT_TIMEOUT", String.valueOf(connectTimeoutSeconds));
        return env;
    }

    /**
     * A {@code --dbname} value for libpq tools. A bare name containing {@code =} or starting with
     * {@code postgresql://} would be read as a connection string, so it is always given as one,
     * {@code dbname='...'} with libpq's quoting (backslash and quote escaped).
     */
    public static String dbnameArgument(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The JDBC URL without credentials; an IPv6 host gets brackets, the database is URL-encoded. */
    public static String jdbcUrl(ConnectionProfile profile, String database) {
        if (database == null || database.isEmpty()) {
            throw new IllegalArgumentException("no database given");
        }
        String host = requireHost(profile);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        // pgjdbc URL-decodes the database part, so encoding makes any name safe (spaces, '/', '?', '&').
        return "jdbc:postgresql://" + host + ":" + port(profile) + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private Properties properties(ConnectionProfile profile) {
        Properties props = new Properties();
        props.setProperty("user", profile.username());
        String password = password(profile);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("sslmode", sslMode(profile));
        jdbcTls(profile).forEach(props::setProperty);
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
        if (socketTimeoutSeconds > 0) {
            props.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        }
        // Copies and an idle snapshot-exporting session can last hours: keep NATs and firewalls from dropping them.
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    /**
     * The pgjdbc settings of the profile's TLS files (sslrootcert, sslcert, sslkey: file paths),
     * for clients that take them as settings too (Debezium, prefixed {@code database.}).
     */
    public Map<String, String> jdbcTls(ConnectionProfile profile) {
        Map<String, String> tls = new LinkedHashMap<>();
        if (profile.sslRootCert() != null) {
            tls.put("sslrootcert", TlsFiles.shared().certificates(profile.sslRootCert()).toString());
        }
        if (profile.sslCert() != null) {
            tls.put("sslcert", TlsFiles.shared().certificates(profile.sslCert()).toString());
        }
        String key = sslKey(profile);
        if (key != null) {
            tls.put("sslkey", TlsFiles.shared().pk8Key(key).toString());
        }
        return tls;
    }

    private String sslKey(ConnectionProfile profile) {
        return profile.encryptedSslKey() != null ? cipher.decrypt(profile.encryptedSslKey()) : profile.sslKey();
    }

    /** The clear password (decrypted now), for clients that take it as a setting (Debezium). */
    public String password(ConnectionProfile profile) {
        if (profile.encryptedPassword() != null) {
            return cipher.decrypt(profile.encryptedPassword());
        }
        // A profile built in-process (tests, tools) may still hold the clear password; messages never do.
        return profile.password();
    }

    /** Validated again here, whatever the caller checked: a host like {@code db/x?sslmode=disable&} would rewrite the URL. */
    private static String requireHost(ConnectionProfile profile) {
        if (!HostNames.isValid(profile.host())) {
            throw new IllegalArgumentException("connection profile " + profile.id() + ": the host is not " + HostNames.RULE);
        }
        return profile.host();
    }

    /** The profile's host as clients other than JDBC take it: an IPv6 address without brackets. */
    public static String host(ConnectionProfile profile) {
        String host = requireHost(profile);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public static int port(ConnectionProfile profile) {
        return profile.port() == null ? 5432 : profile.port();
    }

    public static String sslMode(ConnectionProfile profile) {
        return profile.sslMode() == null || profile.sslMode().isBlank() ? ConnectionProfile.DEFAULT_SSL_MODE : profile.sslMode();
    }
}
