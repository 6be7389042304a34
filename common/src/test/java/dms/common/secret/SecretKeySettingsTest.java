package dms.common.secret;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretKeySettingsTest {

    private static final String KEY = SecretCipherTest.key(3);
    private static final String OLD_KEY = SecretCipherTest.key(4);
    private final List<String> warnings = new ArrayList<>();

    private SecretCipher cipher(String key, int version, String previous, boolean allowDevelopmentKey) {
        return new SecretKeySettings(Optional.ofNullable(key), version, Optional.ofNullable(previous), allowDevelopmentKey)
                .cipher(warnings::add);
    }

    @Test
    void theDevelopmentKeyOrNoKeyStopsTheServiceNamingTheSettings() {
        for (String key : new String[] {SecretCipher.DEVELOPMENT_KEY, null, " "}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cipher(key, 1, null, false));
            assertTrue(e.getMessage().contains("DMS_SECRET_KEY") && e.getMessage().contains(SecretKeySettings.ALLOW_DEVELOPMENT_KEY),
                    e.getMessage());
            assertFalse(e.getMessage().contains(SecretCipher.DEVELOPMENT_KEY), "the message does not print the key");
        }
    }

    @Test
    void aLocalStackMayRunOnTheDevelopmentKeyWithAWarning() {
        SecretCipher dev = cipher(null, 1, null, true);
        assertEquals("pw", new SecretCipher(SecretCipher.DEVELOPMENT_KEY).decrypt(dev.encrypt("pw")));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("DMS_SECRET_KEY"), warnings.get(0));
    }

    @Test
    void anInstallationKeyNeedsNoPermissionAndIsNotWarnedAbout() {
        cipher(KEY, 1, null, false);
        assertEquals(List.of(), warnings);
    }

    @Test
    void previousKeysDecryptOnlyAndTheDevelopmentKeyMayBeOneOfThemToRotateAwayFromIt() {
        String sealedByOld = new SecretCipher(SecretCipher.DEVELOPMENT_KEY).encrypt("a");
        String sealedBy2 = new SecretCipher(2, OLD_KEY, java.util.Map.of()).encrypt("b");
        SecretCipher cipher = cipher(KEY, 3, " 1:" + SecretCipher.DEVELOPMENT_KEY + " , 2:" + OLD_KEY, false);
        assertEquals("a", cipher.decrypt(sealedByOld));
        assertEquals("b", cipher.decrypt(sealedBy2));
        assertEquals(3, SecretCipher.keyVersion(cipher.encrypt("c")));
        assertEquals(1, warnings.size(), "a development key kept for decryption is warned about");
    }

    @Test
    void aBadPreviousKeyEntryIsNamedByItsNumberNeverQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cipher(KEY, 2, "1:" + OLD_KEY + "," + OLD_KEY, false));
        assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
        assertFalse(e.getMessage().contains(OLD_KEY));
        assertThrows(IllegalArgumentException.class, () -> cipher(KEY, 2, "1:" + OLD_KEY + ",1:" + OLD_KEY, false));
        assertThrows(IllegalArgumentException.class, () -> cipher(KEY, 1, "1:" + OLD_KEY, false), "version 1 twice");
    }
}
