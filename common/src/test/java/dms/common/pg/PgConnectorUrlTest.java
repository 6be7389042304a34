package dms.common.pg;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import org.junit.jupiter.api.Test;

/** The connection's target comes from host, port and database only: no host can rewrite the URL. */
class PgConnectorUrlTest {

    private static ConnectionProfile profile(String host) {
        return new ConnectionProfile("p1", null, host, 5433, "u", null, null, null, null);
    }

    @Test
    void aHostThatIsNoHostIsRefusedBeforeAnyUrlOrEnvironmentIsBuilt() {
        PgConnector connector = new PgConnector(new SecretCipher(SecretCipher.DEVELOPMENT_KEY), "test");
        for (String host : new String[] {"db/postgres?sslmode=disable&x=", "db?sslmode=disable", "db:5432", "user@db", " db", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgConnector.jdbcUrl(profile(host), "app"));
            assertEquals("connection profile p1: the host is not a host name or IP address, e.g. db.example.com, 10.0.0.5 or "
                    + "[2001:db8::5]", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> connector.libpqEnv(profile(host)), String.valueOf(host));
        }
    }

    @Test
    void validHostsMakeTheExpectedUrl() {
        assertEquals("jdbc:postgresql://db.example.com:5433/app", PgConnector.jdbcUrl(profile("db.example.com"), "app"));
        assertEquals("jdbc:postgresql://10.0.0.5:5433/a%2Fb%3Fsslmode%3Ddisable", PgConnector.jdbcUrl(profile("10.0.0.5"), "a/b?sslmode=disable"));
        assertEquals("jdbc:postgresql://[2001:db8::5]:5433/app", PgConnector.jdbcUrl(profile("2001:db8::5"), "app"));
        assertEquals("jdbc:postgresql://[2001:db8::5]:5433/app", PgConnector.jdbcUrl(profile("[2001:db8::5]"), "app"));
        assertEquals("2001:db8::5", PgConnector.host(profile("[2001:db8::5]")));
    }
}
