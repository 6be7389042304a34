package dms.api.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured tokens, as {@code name:role:token} entries ({@code token} may be
 * {@code sha256:<hex>} so that the plain token is written nowhere). Only hashes are kept, and a
 * presented token is compared with every one of them in constant time, so neither the
 * comparison nor the number of comparisons depends on how much of a token matched.
 * Configuration errors name the entry and never quote a token.
 */
public final class TokenRegistry {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    /** Shorter tokens are accepted (a laptop, a test) but warned about. */
    static final int MIN_RECOMMENDED_LENGTH = 16;

    private final List<ApiToken> tokens;
    private final List<String> warnings;

    private TokenRegistry(List<ApiToken> tokens, List<String> warnings) {
        this.tokens = List.copyOf(tokens);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Parses entries; {@code source} names where each came from in error messages
     * ({@code dms.api.auth.tokens}, a file path). Blank entries and {@code #} comments are skipped.
     */
    public static TokenRegistry parse(List<Entry> entries) {
        List<ApiToken> tokens = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (Entry entry : entries) {
            String text = entry.text().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split(":", 3);
            if (parts.length < 3) {
                throw entry.invalid("expected name:role:token");
            }
            String name = parts[0].strip();
            if (!NAME.matcher(name).matches()) {
                throw entry.invalid("the name must be 1-64 letters, digits, '.', '_', '@' or '-'");
            }
            Role role = Role.parse(parts[1]).orElseThrow(() -> entry.invalid("the role of " + name + " must be viewer or operator"));
            String secret = parts[2].strip();
            byte[] hash;
            if (secret.startsWith(TokenHash.PREFIX)) {
                String hex = secret.substring(TokenHash.PREFIX.length());
                if (!HEX_SHA256.matcher(hex).matches()) {
                    throw entry.invalid("the token of " + name + " starts with sha256: but is not 64 hex digits");
                }
                hash = HexFormat.of().parseHex(hex);
            } else {
                if (secret.isEmpty()) {
                    throw entry.invalid("the token of " + name + " is empty");
                }
                if (secret.length() < MIN_RECOMMENDED_LENGTH) {
                    warnings.add("the token of " + name + " is shorter than " + MIN_RECOMMENDED_LENGTH
                            + " characters: use a long random one (openssl rand -base64 32)");
                }
                hash = TokenHash.of(secret);
            }
            if (!names.add(name)) {
                throw entry.invalid("the name " + name + " is used twice");
            }
            if (!hashes.add(HexFormat.of().formatHex(hash))) {
                throw entry.invalid("the token of " + name + " is also another entry's token");
            }
            tokens.add(new ApiToken(name, role, hash));
        }
        return new TokenRegistry(tokens, warnings);
    }

    /** No token configured: authentication is off. */
    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    public List<ApiToken> tokens() {
        return tokens;
    }

    /** Things the operator should hear about at start (never a token). */
    public List<String> warnings() {
        return warnings;
    }

    /** The token's entry, comparing the hash with every entry in constant time. */
    public Optional<ApiToken> authenticate(String presented) {
        byte[] hash = TokenHash.of(presented);
        ApiToken found = null;
        for (ApiToken token : tokens) {
            if (MessageDigest.isEqual(hash, token.sha256()) & found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    /** One configured entry and where it came from. */
    public record Entry(String source, int number, String text) {

        IllegalArgumentException invalid(String why) {
            return new IllegalArgumentException(source + " entry " + number + ": " + why);
        }

        /** The entries of one source, numbered from 1. */
        public static List<Entry> of(String source, List<String> texts) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                entries.add(new Entry(source, i + 1, texts.get(i)));
            }
            return entries;
        }
    }
}
