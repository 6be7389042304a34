package dms.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a token: what the registry keeps and compares; also how an operator pre-hashes one. */
public final class TokenHash {

    /** A configured token written {@code sha256:<64 hex digits>} is already hashed. */
    public static final String PREFIX = "sha256:";

    private TokenHash() {}

    public static byte[] of(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String hex(String token) {
        return HexFormat.of().formatHex(of(token));
    }
}
