package dms.common.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void encryptsWithAFreshNonceAndDecrypts() {
        SecretCipher cipher = new SecretCipher(KEY);
        String a = cipher.encrypt("pässword");
        String b = cipher.encrypt("pässword");
        assertNotEquals(a, b);
        assertFalse(a.contains("pässword"));
        assertEquals("pässword", cipher.decrypt(a));
    }

    @Test
    void aWrongKeyOrTamperingIsRefused() {
        String sealed = new SecretCipher(KEY).encrypt("pw");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(Base64.getEncoder().encodeToString(other)).decrypt(sealed));
        String tampered = sealed.substring(0, sealed.length() - 4) + "AAAA";
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(KEY).decrypt(tampered));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher("c2hvcnQ="));
    }

    @Test
    void theDevelopmentKeyIsWarnedAboutAndNoOtherIs() {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        SecretCipher.fromConfig(SecretCipher.DEVELOPMENT_KEY, warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("DMS_SECRET_KEY"), warnings.get(0));
        SecretCipher.fromConfig(KEY, warnings::add);
        assertEquals(1, warnings.size(), "a real key: no warning");
    }
}
