package dms.common.secret;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    private static final String SECRET = "Hunter2-s3cret";

    private static void assertHidden(String redacted) {
        assertFalse(redacted.contains("Hunter2"), redacted);
    }

    @Test
    void secretNames() {
        for (String name : List.of("password", "PASSWORD", "Secret", "token", "sslkey", "sslKey", "encryptedSslKey", "sslPassword", "encryptedPassword",
                "db_password")) {
            assertTrue(Redaction.isSecretName(name), name);
        }
        for (String name : List.of("host", "username", "passwords", "tokens", "secretName", "id", "sslCert", "sslRootCert", "sslKeys")) {
            assertFalse(Redaction.isSecretName(name), name);
        }
    }

    @Test
    void aTextNamingNoSecretIsPassedOnUnchanged() {
        for (String text : List.of("{\"commandId\":\"c\",  \"type\":\"START\",\"jobId\":\"j\"}", "{\"a\":1.50e3}", "garbage \u0000\u00ff",
                "{\"commandId\":\"x\",\"type\":\"START\",\"jobId\":\"j", "", "[1,2]")) {
            assertSame(text, Redaction.redactJson(text));
        }
        assertNull(Redaction.redactJson(null));
    }

    @Test
    void aProfileCommandsPasswordIsMaskedWhereverItIs() {
        ConnectionProfile p = new ConnectionProfile("p1", null, "db/x?", 5432, "u", SECRET, null, null, null);
        String raw = Json.write(Command.builder(CommandType.CREATE_CONNECTION_PROFILE).commandId("c").connectionProfile(p).build());
        String redacted = Redaction.redactJson(raw);
        assertHidden(redacted);
        assertEquals("***", parse(redacted).path("connectionProfile").path("password").asText());
        assertEquals("db/x?", parse(redacted).path("connectionProfile").path("host").asText(), "the rest is kept");

        ConnectionProfile tls = new ConnectionProfile("p1", null, "db", 5432, "u", null, null, null, "CA", "CERT", SECRET, "v1:" + SECRET,
                null, null);
        String edit = Redaction.redactJson(Json.write(Command.builder(CommandType.UPDATE_CONNECTION_PROFILE).commandId("c")
                .profileId("p1").connectionProfile(tls).build()));
        assertHidden(edit);
        assertEquals("***", parse(edit).path("connectionProfile").path("sslKey").asText());
        assertEquals("***", parse(edit).path("connectionProfile").path("encryptedSslKey").asText());
        assertEquals("CERT", parse(edit).path("connectionProfile").path("sslCert").asText(), "a certificate is no secret");

        String nested = "{\"a\":[{\"b\":{\"Token\":\"" + SECRET + "\",\"sslkey\":{\"x\":\"" + SECRET + "\"},\"dbPassword\":123456}}],"
                + "\"sslpassword\":null,\"pass\\u0077ord\":\"" + SECRET + "\"}";
        assertEquals("{\"a\":[{\"b\":{\"Token\":\"***\",\"sslkey\":\"***\",\"dbPassword\":\"***\"}}],\"sslpassword\":null,\"password\":\"***\"}",
                Redaction.redactJson(nested));
    }

    @Test
    void aTailAfterTheDocumentIsNotOverlooked() {
        assertEquals("{\"a\":1} {\"password\":\"***\"}", Redaction.redactJson("{\"a\":1} {\"password\":\"" + SECRET + "\"}"));
        assertHidden(Redaction.redactJson("{\"x\":{\"password\":\"" + SECRET + "\"},\"x\":1}")); // duplicate keys
    }

    @Test
    void inTextThatIsNotJsonWholePairsAreMasked() {
        assertEquals("{\"commandId\":\"c\",\"connectionProfile\":{\"password\":\"***\",\"sslPassword\":\"***\"",
                Redaction.redactJson("{\"commandId\":\"c\",\"connectionProfile\":{\"password\":\"" + SECRET + "\\\"x\",\"sslPassword\":\"1\""));
        assertEquals("{\"password\" : \"***\" , \"a\":", Redaction.redactJson("{\"password\" : " + SECRET + " , \"a\":"));
    }

    @Test
    void textWhereASecretCannotBeMaskedIsWithheld() {
        for (String text : List.of(
                "{\"connectionProfile\":{\"password\":\"" + SECRET,                  // the value is cut
                "{\"password\":\"" + SECRET + "\"x\" , \"a\":",                     // a stray quote
                "{\"password\":{\"a\":\"" + SECRET + "\"}, \"b\":",                // not a plain value
                "{a\":\"password\":\"" + SECRET + "\"}",                           // out of step with the quotes
                "password=" + SECRET,
                "{\"p\\u0061ssword\":\"" + SECRET + "\" oops")) {
            String redacted = Redaction.redactJson(text);
            assertEquals(Redaction.WITHHELD, redacted, text);
        }
    }

    @Test
    void longValuesDoNotOverflowTheStack() {
        String text = "{\"password\":\"" + "\\n".repeat(500_000) + "\", \"x\":\"" + "y".repeat(1_000_000);
        assertEquals("{\"password\":\"***\", \"x\":\"" + "y".repeat(1_000_000), Redaction.redactJson(text));
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
