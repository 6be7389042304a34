package dms.common.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts connection-profile secrets (AES-256-GCM) so they never travel or rest in clear.
 * Every service that needs one shares the keys ({@link SecretKeySettings}). Ciphertext format:
 * {@code v<key version>:} + base64(12-byte nonce || ciphertext+tag). The version names the key
 * that sealed it, so a new key can be made current while older ones still decrypt what they
 * sealed; {@code v1:} is what every ciphertext was before keys had versions.
 */
public final class SecretCipher {

    private static final Pattern SEALED = Pattern.compile("v([1-9][0-9]{0,8}):(.*)", Pattern.DOTALL);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Published in the code and the docs: anyone can decrypt with it. */
    public static final String DEVELOPMENT_KEY = "ZG1zLWRldi1rZXktZG8tbm90LXVzZS1pbi1wcm9kISE=";

    private final int currentVersion;
    private final Map<Integer, SecretKeySpec> keys;

    /** One key, version 1: tests and tools. */
    public SecretCipher(String base64Key) {
        this(1, base64Key, Map.of());
    }

    /**
     * @param currentVersion the version of {@code currentKey}, which seals everything from now on
     * @param olderKeys      keys by version that only decrypt (what was sealed before a rotation)
     */
    public SecretCipher(int currentVersion, String currentKey, Map<Integer, String> olderKeys) {
        if (currentVersion < 1) {
            throw new IllegalArgumentException("dms.secret-key-version must be 1 or more, got " + currentVersion);
        }
        Map<Integer, SecretKeySpec> all = new TreeMap<>();
        all.put(currentVersion, key(currentKey, "dms.secret-key"));
        olderKeys.forEach((version, key) -> {
            if (all.put(version, key(key, "key version " + version + " of dms.secret-previous-keys")) != null) {
                throw new IllegalArgumentException("key version " + version + " is configured twice (dms.secret-key-version"
                        + " and dms.secret-previous-keys)");
            }
        });
        this.currentVersion = currentVersion;
        this.keys = Map.copyOf(all);
    }

    private static SecretKeySpec key(String base64Key, String name) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(name + " must be 32 bytes (base64 of 32 random bytes), got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    public int currentVersion() {
        return currentVersion;
    }

    public String encrypt(String clear) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentVersion), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return "v" + currentVersion + ":" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret", e);
        }
    }

    public String decrypt(String sealedText) {
        Matcher m = parse(sealedText);
        int version = Integer.parseInt(m.group(1));
        SecretKeySpec key = keys.get(version);
        if (key == null) {
            throw new IllegalArgumentException("the secret was encrypted with key version " + version
                    + ", which is not configured: add it to dms.secret-previous-keys (DMS_SECRET_PREVIOUS_KEYS) as " + version + ":<key>");
        }
        try {
            byte[] all = Base64.getDecoder().decode(m.group(2));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decrypt a secret: wrong key for version " + version + " or damaged value");
        }
    }

    /** The version of the key that sealed {@code sealedText}. */
    public static int keyVersion(String sealedText) {
        return Integer.parseInt(parse(sealedText).group(1));
    }

    /** Sealed with the current key: the same text; else decrypted and sealed again with the current key. */
    public String reencrypt(String sealedText) {
        return keyVersion(sealedText) == currentVersion ? sealedText : encrypt(decrypt(sealedText));
    }

    private static Matcher parse(String sealedText) {
        Matcher m = sealedText == null ? null : SEALED.matcher(sealedText);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not an encrypted secret");
        }
        return m;
    }
}
