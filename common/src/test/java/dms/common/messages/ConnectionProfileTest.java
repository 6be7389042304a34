package dms.common.messages;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.secret.SecretCipher;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectionProfileTest {

    private static final SecretCipher CIPHER = new SecretCipher(SecretCipher.DEVELOPMENT_KEY);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EDITED = Instant.parse("2026-02-01T00:00:00Z");
    private static final ConnectionProfile STORED = new ConnectionProfile("p1", "P", "db", 5432, "u", null, CIPHER.encrypt("old"),
            "verify-full", "CA", "CERT", null, CIPHER.encrypt("KEY"), CREATED, null);

    private static ConnectionProfile changes(String host, String password, String sslRootCert, String sslKey) {
        return new ConnectionProfile(null, null, host, null, null, password, null, null, sslRootCert, null, sslKey, null, null, null);
    }

    @Test
    void anEditReplacesWhatItGivesAndKeepsTheRest() {
        ConnectionProfile edited = STORED.edited(changes("db2", null, null, null), EDITED);
        assertEquals("db2", edited.host());
        assertEquals(STORED.encryptedPassword(), edited.encryptedPassword());
        assertEquals(STORED.encryptedSslKey(), edited.encryptedSslKey());
        assertEquals("CA", edited.sslRootCert());
        assertEquals("p1", edited.id());
        assertEquals(CREATED, edited.createTime());
        assertEquals(EDITED, edited.updateTime());
    }

    @Test
    void aNewPasswordReplacesTheSealedOneAndAnEmptyValueRemoves() {
        ConnectionProfile edited = STORED.edited(changes(null, "new", "", "").sealed(CIPHER), EDITED);
        assertEquals("new", CIPHER.decrypt(edited.encryptedPassword()));
        assertNull(edited.password());
        assertNull(edited.sslRootCert());
        assertNull(edited.encryptedSslKey());
        assertEquals("CERT", edited.sslCert());

        ConnectionProfile noPassword = STORED.edited(changes(null, "", null, null).sealed(CIPHER), EDITED);
        assertNull(noPassword.encryptedPassword());
        assertNull(noPassword.password());
    }

    @Test
    void secretsAreSealedForTravelAndLeftOutOfReads() {
        ConnectionProfile clear = changes("db", "pw", null, "KEY");
        ConnectionProfile sealed = clear.sealed(CIPHER);
        assertNull(sealed.password());
        assertNull(sealed.sslKey());
        assertEquals("pw", CIPHER.decrypt(sealed.encryptedPassword()));
        assertEquals("KEY", CIPHER.decrypt(sealed.encryptedSslKey()));

        String read = Json.write(STORED.withoutSecrets());
        assertFalse(read.contains("encrypted") || read.contains("sslKey") || read.contains("password"), read);
        assertTrue(read.contains("\"sslRootCert\":\"CA\""), read);
        assertFalse(STORED.toString().contains("v1:"), STORED.toString());
        assertFalse(clear.toString().contains("pw") || clear.toString().contains("KEY"), clear.toString());
    }

    @Test
    void noChangeIsNoEditAndIsNotSerialized() {
        assertTrue(changes(null, null, null, null).isNoChange());
        assertFalse(changes(null, "", null, null).isNoChange(), "removing the password is a change");
        assertFalse(Json.write(STORED).contains("noChange"));
    }
}
