package dms.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak search finds a secret however it is embedded: the proof that "found none" means something. */
class SecretSearchTest {

    private static final String SECRET = "Leak-Probe-7Q2xZ9-pw";

    @Test
    void findsTheSecretInClearAndInBase64AtEveryAlignment() {
        for (String prefix : List.of("", "a", "ab", "abc", "{\"password\":\"")) {
            byte[] embedded = (prefix + SECRET + "\"}").getBytes(StandardCharsets.UTF_8);
            for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
                SecretSearch search = new SecretSearch(List.of(SECRET));
                search.search("record", "value=" + encoder.encodeToString(embedded));
                assertFalse(search.hits().isEmpty(), "prefix '" + prefix + "'");
            }
            SecretSearch clear = new SecretSearch(List.of(SECRET));
            clear.search("log", new String(embedded, StandardCharsets.UTF_8));
            assertEquals(1, clear.hits().size());
        }
    }

    @Test
    void findsNothingInAnEncryptedValue() {
        SecretSearch search = new SecretSearch(List.of(SECRET));
        search.search("record", "{\"encryptedPassword\":\"v1:3q2+7wAAAAAAAAAAAAAAABLXl0fd8yQ2sVn1ahr3y0Q=\"}");
        assertEquals(List.of(), search.hits());
    }
}
