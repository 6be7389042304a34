package dms.api.auth;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header (the scheme is case-insensitive). */
public final class BearerHeader {

    private static final String SCHEME = "bearer ";

    private BearerHeader() {}

    public static Optional<String> token(String header) {
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
