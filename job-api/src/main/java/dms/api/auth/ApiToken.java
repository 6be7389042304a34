package dms.api.auth;

/**
 * One configured bearer token: its name (who holds it, for logs and {@code requestedBy}), its
 * role, and the SHA-256 of the token. The token itself is not kept.
 */
public record ApiToken(String name, Role role, byte[] sha256) {
}
