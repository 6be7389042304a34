package dms.common.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;
import dms.common.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in a record passed on as it came (a refused command goes to the dead-letter
 * queue, where a connection profile's clear {@code password} must not follow it): the value of
 * every key named like a secret, at any depth, becomes {@value #MASK}.
 */
public final class Redaction {

    public static final String MASK = "***";
    public static final String WITHHELD = "(value withheld: it is not valid JSON, so its secrets could not be masked,"
            + " and it may hold one)";

    private static final Set<String> SECRET_NAMES = Set.of("password", "secret", "token", "sslkey", "sslpassword");
    /** A word every secret name contains: a text without any holds no secret key. */
    private static final List<String> MENTIONS = List.of("password", "secret", "token", "sslkey");
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u([0-9a-fA-F]{4})");
    /**
     * A JSON string and, when it is a key, its value (group 2): a string or a bare token, and only
     * when it is whole (what follows ends it), else a stray quote could leave part of it out.
     * Possessive and unrolled: no backtracking, no stack overflow on a long string.
     */
    private static final Pattern STRING_OR_PAIR = Pattern.compile(
            "\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"(?:\\s*+:\\s*+(\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"|[^\\s\",:\\[\\]{}]++)(?=\\s*+(?:[,}\\]]|$)))?");
    /** {@code {"a":1} {"password":"x"}} is not one document: the tail would pass unread. */
    private static final ObjectReader STRICT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Redaction() {}

    /** password, secret, token, sslpassword or any name ending in password or sslkey (encryptedSslKey too), in any case. */
    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_NAMES.contains(n) || n.endsWith("password") || n.endsWith("sslkey");
    }

    /**
     * The text with every secret value masked. A text naming no secret comes back unchanged; a
     * JSON document naming one is written anew; any other text has its complete
     * {@code "name":value} pairs masked, or is {@link #WITHHELD} when a secret name is left.
     */
    public static String redactJson(String text) {
        if (text == null || !mentionsSecret(text)) {
            return text;
        }
        try {
            JsonNode tree = STRICT.readTree(text);
            mask(tree);
            return Json.MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            return redactText(text);
        }
    }

    private static void mask(JsonNode node) {
        if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (isSecretName(field.getKey()) && !field.getValue().isNull()) {
                    field.setValue(TextNode.valueOf(MASK));
                } else {
                    mask(field.getValue());
                }
            }
        } else {
            node.forEach(Redaction::mask);
        }
    }

    private static String redactText(String text) {
        StringBuilder redacted = new StringBuilder();
        StringBuilder left = new StringBuilder(); // the text without the masked pairs: must name no secret
        Matcher m = STRING_OR_PAIR.matcher(text);
        int from = 0;
        while (m.find()) {
            if (m.group(2) != null && isSecretName(unescape(m.group(1)))) {
                redacted.append(text, from, m.start(2)).append('"').append(MASK).append('"');
                left.append(text, from, m.start());
                from = m.end();
            }
        }
        redacted.append(text, from, text.length());
        left.append(text, from, text.length());
        return mentionsSecret(left.toString()) ? WITHHELD : redacted.toString();
    }

    /** Also through JSON's escapes: {@code "pass\u0077ord"} is a password key too. */
    private static boolean mentionsSecret(String text) {
        String lower = unescape(text).toLowerCase(Locale.ROOT); // as isSecretName compares
        return MENTIONS.stream().anyMatch(lower::contains);
    }

    private static String unescape(String text) {
        return text.indexOf('\\') < 0 ? text
                : UNICODE_ESCAPE.matcher(text).replaceAll(u -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(u.group(1), 16))));
    }
}
