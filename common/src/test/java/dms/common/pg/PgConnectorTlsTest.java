package dms.common.pg;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ConnectionProfile;
import dms.common.secret.SecretCipher;
import dms.common.tls.Pem;
import dms.common.tls.TestPem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TLS files reach pgjdbc and libpq as private files; the key is decrypted only for that. */
class PgConnectorTlsTest {

    private static final SecretCipher CIPHER = new SecretCipher(SecretCipher.DEVELOPMENT_KEY);
    private static final PgConnector CONNECTOR = new PgConnector(CIPHER, "test");

    private static ConnectionProfile withTls(String ca, String cert, String key) {
        return new ConnectionProfile("p1", null, "db", 5432, "u", null, null, "verify-full", ca, cert, key, null, null, null)
                .sealed(CIPHER);
    }

    @Test
    void theFilesAreWrittenPrivatelyOnceAndNamedToBothClients() throws Exception {
        String ca = TestPem.certificate();
        String key = TestPem.privateKey("EC");
        ConnectionProfile p = withTls(ca, ca, key);
        assertNull(p.sslKey());
        assertTrue(p.encryptedSslKey().startsWith("v1:"), "the key travels sealed");

        Map<String, String> env = CONNECTOR.libpqEnv(p);
        assertEquals(ca, Files.readString(Path.of(env.get("PGSSLROOTCERT"))));
        assertEquals(ca, Files.readString(Path.of(env.get("PGSSLCERT"))));
        Path pemKey = Path.of(env.get("PGSSLKEY"));
        assertEquals(key, Files.readString(pemKey));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pemKey)), "libpq refuses a key others may read");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pemKey.getParent())));

        Map<String, String> jdbc = CONNECTOR.jdbcTls(p);
        assertEquals(env.get("PGSSLROOTCERT"), jdbc.get("sslrootcert"), "one file for one content");
        Path pk8 = Path.of(jdbc.get("sslkey"));
        assertTrue(pk8.toString().endsWith(".pk8"), "pgjdbc reads a .pk8 key (DER) in every version");
        assertArrayEquals(Pem.pkcs8Key(key), Files.readAllBytes(pk8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pk8)));
        assertEquals(jdbc, CONNECTOR.jdbcTls(withTls(ca, ca, key)), "a key sealed anew is the same file");
    }

    @Test
    void aProfileWithoutTlsFilesSetsNone() {
        ConnectionProfile p = new ConnectionProfile("p1", null, "db", 5432, "u", null, null, "require", null);
        assertEquals(Map.of(), CONNECTOR.jdbcTls(p));
        assertTrue(CONNECTOR.libpqEnv(p).keySet().stream().noneMatch(k -> k.startsWith("PGSSL") && !k.equals("PGSSLMODE")));
    }
}
