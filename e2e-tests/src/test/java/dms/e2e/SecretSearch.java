package dms.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for secrets in texts gathered from everywhere a system writes: each secret as is and in
 * base64, at each of the three byte alignments it can have inside a longer base64 string (standard
 * and URL-safe alphabets). Collects every hit with where it was found.
 */
final class SecretSearch {

    private final Map<String, String> needles = new LinkedHashMap<>();
    private final List<String> hits = new ArrayList<>();
    private int placesSearched;

    SecretSearch(List<String> secrets) {
        for (String secret : secrets) {
            needles.put(secret, "'" + secret + "'");
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            for (int shift = 0; shift < 3; shift++) {
                byte[] shifted = new byte[shift + bytes.length];
                System.arraycopy(bytes, 0, shifted, shift, bytes.length);
                String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
                // Keep only the characters that depend on the secret's bytes alone.
                int from = shift == 0 ? 0 : 4;
                int to = (shifted.length / 3) * 4;
                String core = encoded.substring(from, to);
                needles.put(core, "base64 of '" + secret + "' (shift " + shift + ")");
                needles.put(core.replace('+', '-').replace('/', '_'), "base64url of '" + secret + "' (shift " + shift + ")");
            }
        }
    }

    /** Searches one text; {@code where} names it in the report. */
    void search(String where, String text) {
        placesSearched++;
        if (text == null) {
            return;
        }
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            int at = text.indexOf(needle.getKey());
            if (at >= 0) {
                int from = Math.max(0, at - 80);
                hits.add(needle.getValue() + " in " + where + ": ..." + text.substring(from, Math.min(text.length(), at + 80)) + "...");
            }
        }
    }

    List<String> hits() {
        return hits;
    }

    int placesSearched() {
        return placesSearched;
    }
}
