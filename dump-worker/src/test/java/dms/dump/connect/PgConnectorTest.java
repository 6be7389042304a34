package dms.dump.connect;

import dms.common.pg.PgConnector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.dump.testing.TestClusters;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgConnectorTest {

    private static final String ODD_DB = "a/b?c=d&e f's \"db\" ü";
    private static TestClusters clusters;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("server");
        clusters.cluster(0).createDatabase(ODD_DB);
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void opensAnyDatabaseNameWithTheDecryptedPassword() throws Exception {
        try (Connection c = clusters.connector.open(clusters.profile(0), ODD_DB); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('application_name')")) {
            rs.next();
            assertEquals(ODD_DB, rs.getString(1));
            assertEquals("dms-dump-worker", rs.getString(2));
            assertTrue(c.getAutoCommit());
        }
    }

    @Test
    void replicationSessionIsAWalsender() throws Exception {
        try (Connection c = clusters.connector.openReplication(clusters.profile(0), ODD_DB); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("IDENTIFY_SYSTEM")) {
            rs.next();
            assertEquals(ODD_DB, rs.getString("dbname"));
        }
    }

    @Test
    void ipv6HostsAreBracketedAndNamesEncoded() {
        ConnectionProfile p = profile("::1", 6543);
        assertEquals("jdbc:postgresql://[::1]:6543/a%2Fb%3Fc%3Dd%26e+f%27s+%22db%22+%C3%BC", PgConnector.jdbcUrl(p, ODD_DB));
        assertEquals("jdbc:postgresql://[fe80::1]:5432/x", PgConnector.jdbcUrl(profile("[fe80::1]", null), "x"));
    }

    @Test
    void libpqEnvironmentCarriesThePasswordInClear() {
        SecretCipher cipher = clusters.cipher;
        ConnectionProfile p = new ConnectionProfile("p", null, "[::1]", 6543, "u", null, cipher.encrypt("s3cret"), "require", null);
        Map<String, String> env = new PgConnector(cipher, "dms-dump-worker").libpqEnv(p);
        assertEquals(Map.of("PGHOST", "::1", "PGPORT", "6543", "PGUSER", "u", "PGPASSWORD", "s3cret", "PGSSLMODE", "require",
                "PGAPPNAME", "dms-dump-worker", "PGCONNECT_TIMEOUT", "10"), env);
        assertFalse(p.toString().contains("s3cret"));
    }

    @Test
    void dbnameArgumentIsAConninfoString() {
        assertEquals("dbname='it\\'s a \\\\ db'", PgConnector.dbnameArgument("it's a \\ db"));
        assertEquals("dbname='postgresql://x'", PgConnector.dbnameArgument("postgresql://x"));
        assertTrue(PgConnector.dbnameArgument(ODD_DB).getBytes(StandardCharsets.UTF_8).length > ODD_DB.length());
    }

    private static ConnectionProfile profile(String host, Integer port) {
        return new ConnectionProfile("p", null, host, port, "u", null, null, null, null);
    }
}
