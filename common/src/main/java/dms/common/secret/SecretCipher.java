package dms.common.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts connection-profile passwords (AES-256-GCM) so they never travel or rest in clear.
 * Every service that needs a password shares the key ({@code dms.secret-key}, 32 bytes,
 * base64). Ciphertext format: {@code v1:} + base64(12-byte nonce || ciphertext+tag).
 */
public final class SecretCipher {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Published in application.properties and the docs: anyone can decrypt with it. */
    public static final String DEVELOPMENT_KEY = "ZG1zLWRldi1rZXktZG8tbm90LXVzZS1pbi1wcm9kISE=";

    private final SecretKeySpec key;

    /** The cipher of a service, from {@code dms.secret-key}; {@code warn} is told when that is the development key. */
    public static SecretCipher fromConfig(String base64Key, java.util.function.Consumer<String> warn) {
        if (DEVELOPMENT_KEY.equals(base64Key.trim())) {
            warn.accept("dms.secret-key is the public development key: set DMS_SECRET_KEY to 32 random bytes (base64)"
                    + " outside development");
        }
        return new SecretCipher(base64Key);
    }

    public SecretCipher(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dms.secret-key is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("dms.secret-key must be 32 bytes (base64 of 32 random bytes), got " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String clear) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret", e);
        }
    }

    public String decrypt(String sealedText) {
        if (sealedText == null || !sealedText.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted secret");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealedText.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decrypt a secret: wrong dms.secret-key or damaged value");
        }
    }
}
