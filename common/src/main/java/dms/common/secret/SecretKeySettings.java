package dms.common.secret;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret keys of a service, as configured, the same on every service:
 * {@code dms.secret-key} (DMS_SECRET_KEY) seals, under version {@code dms.secret-key-version}
 * (default 1); {@code dms.secret-previous-keys} ({@code version:key,...}) only decrypt, after a
 * rotation. The public development key is refused as the current key unless
 * {@code dms.secret.allow-development-key} is true, which only the local launcher and the tests
 * set: an installation that forgot its key must not seal passwords with a key anyone can read.
 */
public record SecretKeySettings(Optional<String> key, int keyVersion, Optional<String> previousKeys, boolean allowDevelopmentKey) {

    public static final String ALLOW_DEVELOPMENT_KEY = "dms.secret.allow-development-key";
    private static final Pattern ENTRY = Pattern.compile("\\s*([1-9][0-9]{0,8})\\s*:\\s*(\\S+)\\s*");
    private static final String HOW = "set DMS_SECRET_KEY (dms.secret-key) on every service to this installation's own key,"
            + " base64 of 32 random bytes (openssl rand -base64 32)";

    /** The cipher; throws with a message naming the setting to fix, and tells {@code warn} what is merely unwise. */
    public SecretCipher cipher(Consumer<String> warn) {
        String current = key.map(String::trim).filter(k -> !k.isEmpty()).orElse(null);
        if (current == null || SecretCipher.DEVELOPMENT_KEY.equals(current)) {
            String what = current == null ? "dms.secret-key is not set" : "dms.secret-key is the public development key";
            if (!allowDevelopmentKey) {
                throw new IllegalStateException(what + ": " + HOW + ". Only a local test stack may run on the development key,"
                        + " with " + ALLOW_DEVELOPMENT_KEY + "=true");
            }
            warn.accept(what + " (" + ALLOW_DEVELOPMENT_KEY + "=true): profile secrets are sealed with a key anyone can read;"
                    + " outside a local test stack " + HOW);
            current = SecretCipher.DEVELOPMENT_KEY;
        }
        Map<Integer, String> older = previous();
        if (older.containsValue(SecretCipher.DEVELOPMENT_KEY)) {
            warn.accept("dms.secret-previous-keys holds the public development key: remove it once the orchestrator has"
                    + " re-encrypted the stored profiles (docs/security.md, key rotation)");
        }
        return new SecretCipher(keyVersion, current, older);
    }

    private Map<Integer, String> previous() {
        Map<Integer, String> out = new LinkedHashMap<>();
        String all = previousKeys.orElse("").trim();
        if (all.isEmpty()) {
            return out;
        }
        String[] entries = all.split(",");
        for (int i = 0; i < entries.length; i++) {
            Matcher m = ENTRY.matcher(entries[i]);
            if (!m.matches()) {
                // Never quotes the entry: it holds a key.
                throw new IllegalArgumentException("dms.secret-previous-keys: entry " + (i + 1) + " is not version:key"
                        + " (a version 1 or more, a colon, the base64 key)");
            }
            if (out.put(Integer.parseInt(m.group(1)), m.group(2)) != null) {
                throw new IllegalArgumentException("dms.secret-previous-keys: key version " + m.group(1) + " is given twice");
            }
        }
        return out;
    }
}
