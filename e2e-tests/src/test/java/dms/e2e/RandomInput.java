package dms.e2e;

import java.util.List;
import java.util.Random;

/**
 * Hostile input from a fixed seed (a failure replays exactly): random JSON of any shape, wrong
 * types for known fields, unicode, control characters, SQL, huge and deep values, non-JSON.
 */
final class RandomInput {

    private static final List<String> NASTY = List.of(
            "x\"; DROP TABLE connection_profile; --", "' OR '1'='1", "Robert'); DROP TABLE migration_job;--",
            "$$; SELECT pg_sleep(10); $$", "\\x00", "\u0000", "\uD83D\uDE00 emoji", "Ünïcödé", "日本語のテーブル",
            "\u202Eright-to-left", "a/b/../../c", "%00%2e%2e", "${jndi:ldap://x}", "{{7*7}}", "<script>x</script>",
            "", " ", "null", "true", "-1", "1e309", "NaN", "9".repeat(400), "UPPER", "operations/../x");

    private final Random random;

    RandomInput(long seed) {
        this.random = new Random(seed);
    }

    String nasty() {
        return NASTY.get(random.nextInt(NASTY.size()));
    }

    /** A string: nasty, random code points (any plane, lone surrogates included), or long. */
    String string() {
        return switch (random.nextInt(4)) {
            case 0 -> nasty();
            case 1 -> {
                StringBuilder s = new StringBuilder();
                for (int i = random.nextInt(30); i > 0; i--) {
                    s.append((char) random.nextInt(0x10000));
                }
                yield s.toString();
            }
            case 2 -> "x".repeat(random.nextInt(5000));
            default -> Integer.toString(random.nextInt());
        };
    }

    /** Any JSON value, nested up to {@code depth}. */
    String json(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> switch (random.nextInt(4)) {
                case 0 -> Long.toString(random.nextLong());
                case 1 -> "1" + "0".repeat(random.nextInt(400));
                case 2 -> Double.toString(random.nextGaussian() * 1e6);
                default -> "-0.5e-7";
            };
            case 3, 4 -> quoted(string());
            case 5 -> {
                StringBuilder a = new StringBuilder("[");
                for (int i = random.nextInt(5); i > 0; i--) {
                    a.append(json(depth - 1)).append(i > 1 ? "," : "");
                }
                yield a.append("]").toString();
            }
            default -> object(depth - 1, List.of());
        };
    }

    /** An object with some of {@code fields} (any value type) and some random keys. */
    String object(int depth, List<String> fields) {
        StringBuilder o = new StringBuilder("{");
        boolean first = true;
        for (String field : fields) {
            if (random.nextInt(3) > 0) {
                o.append(first ? "" : ",").append(quoted(field)).append(":").append(json(depth));
                first = false;
            }
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            o.append(first ? "" : ",").append(quoted(string())).append(":").append(json(depth));
            first = false;
        }
        return o.append("}").toString();
    }

    /** A body for an endpoint: usually a JSON object over its fields, sometimes anything at all. */
    String body(List<String> fields) {
        return switch (random.nextInt(10)) {
            case 0 -> json(3);
            case 1 -> "[".repeat(5000) + "]".repeat(5000);
            case 2 -> "{\"a\":" + quoted("y".repeat(300_000)) + "}";
            case 3 -> object(2, fields).replaceFirst("}$", "");
            case 4 -> "\u0000\u00ff\u00fe not json " + string();
            default -> object(2, fields);
        };
    }

    /** A path segment or query value, percent-encoded where it must be. */
    String urlPart() {
        String s = random.nextBoolean() ? nasty() : string();
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    static String quoted(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
