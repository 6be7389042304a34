package dms.orchestrator.secrets;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.secret.SecretCipher;
import dms.orchestrator.store.ConnectionProfileEntity;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretReencryptionTest {

    private static final String OLD_KEY = SecretCipher.DEVELOPMENT_KEY;
    private static final String NEW_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static ConnectionProfileEntity stored(String encryptedPassword, String encryptedSslKey) {
        ConnectionProfileEntity p = new ConnectionProfileEntity();
        p.id = "p1";
        p.encryptedPassword = encryptedPassword;
        p.encryptedSslKey = encryptedSslKey;
        return p;
    }

    @Test
    void secretsSealedWithAnOlderKeyMoveToTheCurrentOne() {
        SecretCipher old = new SecretCipher(OLD_KEY);
        ConnectionProfileEntity p = stored(old.encrypt("pw"), old.encrypt("key"));
        SecretCipher rotated = new SecretCipher(2, NEW_KEY, Map.of(1, OLD_KEY));
        assertTrue(SecretReencryption.reencrypt(p, rotated));

        SecretCipher newOnly = new SecretCipher(2, NEW_KEY, Map.of());
        assertEquals("pw", newOnly.decrypt(p.encryptedPassword), "the old key is no longer needed");
        assertEquals("key", newOnly.decrypt(p.encryptedSslKey));
        assertFalse(SecretReencryption.reencrypt(p, rotated), "a second start changes nothing");
    }

    @Test
    void aProfileWithoutSecretsOrAlreadyCurrentIsLeftAlone() {
        SecretCipher cipher = new SecretCipher(2, NEW_KEY, Map.of(1, OLD_KEY));
        assertFalse(SecretReencryption.reencrypt(stored(null, null), cipher));
        String current = cipher.encrypt("pw");
        ConnectionProfileEntity p = stored(current, null);
        assertFalse(SecretReencryption.reencrypt(p, cipher));
        assertSame(current, p.encryptedPassword);
    }

    @Test
    void aSecretOfAKeyNoLongerConfiguredIsRefusedNamingTheSetting() {
        ConnectionProfileEntity p = stored(new SecretCipher(OLD_KEY).encrypt("pw"), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecretReencryption.reencrypt(p, new SecretCipher(2, NEW_KEY, Map.of())));
        assertTrue(e.getMessage().contains("dms.secret-previous-keys"), e.getMessage());
    }
}
