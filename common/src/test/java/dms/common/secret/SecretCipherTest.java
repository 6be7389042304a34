package dms.common.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = key(0);
    private static final String NEW_KEY = key(7);

    static String key(int firstByte) {
        byte[] raw = new byte[32];
        raw[0] = (byte) firstByte;
        return Base64.getEncoder().encodeToString(raw);
    }

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
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(key(1)).decrypt(sealed));
        String tampered = sealed.substring(0, sealed.length() - 4) + "AAAA";
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(KEY).decrypt(tampered));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher("c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(KEY).decrypt("pw"));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(KEY).decrypt("v0:AAAA"));
    }

    @Test
    void aCiphertextNamesItsKeyVersion() {
        assertTrue(new SecretCipher(KEY).encrypt("pw").startsWith("v1:"));
        SecretCipher rotated = new SecretCipher(2, NEW_KEY, Map.of(1, KEY));
        String sealed = rotated.encrypt("pw");
        assertTrue(sealed.startsWith("v2:"), sealed);
        assertEquals(2, SecretCipher.keyVersion(sealed));
        assertEquals(2, rotated.currentVersion());
    }

    /** What was sealed before keys had versions ("v1:" and the only key) reads as key version 1. */
    @Test
    void anOlderKeyStillDecryptsWhatItSealedAndReencryptionMovesItToTheCurrentKey() {
        String legacy = new SecretCipher(KEY).encrypt("pw");
        SecretCipher rotated = new SecretCipher(2, NEW_KEY, Map.of(1, KEY));
        assertEquals("pw", rotated.decrypt(legacy));

        String moved = rotated.reencrypt(legacy);
        assertEquals(2, SecretCipher.keyVersion(moved));
        assertEquals("pw", new SecretCipher(2, NEW_KEY, Map.of()).decrypt(moved), "the old key is no longer needed");
        assertSame(moved, rotated.reencrypt(moved), "already current: unchanged");
    }

    @Test
    void aVersionNotConfiguredIsNamedWithTheSettingToAdd() {
        String legacy = new SecretCipher(KEY).encrypt("pw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecretCipher(2, NEW_KEY, Map.of()).decrypt(legacy));
        assertTrue(e.getMessage().contains("key version 1") && e.getMessage().contains("dms.secret-previous-keys"), e.getMessage());
    }

    @Test
    void aVersionConfiguredTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(1, NEW_KEY, Map.of(1, KEY)));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(0, NEW_KEY, Map.of()));
    }
}
