package dms.common.validation;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dms.common.json.Json;
import dms.common.messages.Command;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobPatch;
import dms.common.messages.JobSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    private static final String SECRET = "Hunter2-s3cret";

    private static FieldError error(String json, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> Json.MAPPER.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(json, type));
        return JsonErrors.fieldError(e);
    }

    /** As the REST API reads a body: from a byte stream, where syntax errors inside an object come wrapped with a path. */
    private static FieldError streamError(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> Json.MAPPER.readValue(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Command.class));
        return JsonErrors.fieldError(e);
    }

    @Test
    void namesTheFieldAndWhatWasExpected() {
        assertEquals(new FieldError("port", "invalid value, expected an integer"), error("{\"port\":\"abc\"}", ConnectionProfile.class));
        assertEquals(new FieldError("databases", "wrong JSON type: expected an array"), error("{\"databases\":\"x\"}", JobSpec.class));
        assertEquals("dumpParallelism", error("{\"dumpParallelism\":\"HUGE\"}", JobSpec.class).field());
        assertTrue(error("{\"dumpParallelism\":\"HUGE\"}", JobSpec.class).message().contains("OPTIMAL"));
        FieldError roles = error("{\"roles\":\"DROP\"}", JobSpec.class);
        assertEquals("roles", roles.field());
        assertTrue(roles.message().contains("[CREATE_MISSING, SKIP, REQUIRE_EXISTING]"), roles.message());
        assertEquals(roles, error("{\"roles\":\"DROP\"}", JobPatch.class), "an edit is read by the same rule");
        assertEquals(new FieldError("colour", "unknown field"), error("{\"colour\":1}", JobSpec.class));
        assertEquals(new FieldError("$", "not JSON: syntax error at line 1, column 2"), error("{oops", JobSpec.class));
        assertEquals(new FieldError("$", "wrong JSON type: expected an object"), error("[1]", JobSpec.class));
        assertEquals(new FieldError("port", "number out of range, expected an integer"),
                error("{\"port\":99999999999999}", ConnectionProfile.class));
        assertEquals(new FieldError("$", "not JSON: the text ends too early at line 2, column 10"),
                error("{\"id\":\"p\",\n\"host\":\"h", ConnectionProfile.class));
    }

    @Test
    void theTextThatFailedIsNeverQuoted() {
        List<String> bad = List.of(
                "{\"connectionProfile\":{\"password\":" + SECRET + "}}",
                "{\"connectionProfile\":{\"password\":\"" + SECRET + "\" \"port\":1}}",
                "{\"connectionProfile\":{\"password\":\"" + SECRET + "\u0001\"}}",
                "{\"connectionProfile\":{\"password\":\"" + SECRET,
                "{\"connectionProfile\":{\"port\":\"" + SECRET + "\"}}",
                "{\"connectionProfile\":{\"createTime\":\"" + SECRET + "\"}}",
                "{\"connectionProfile\":\"" + SECRET + "\"}",
                "{\"type\":\"" + SECRET + "\"}",
                SECRET + " not JSON",
                "{\"" + SECRET + "\" 1}");
        for (String json : bad) {
            for (FieldError e : List.of(error(json, Command.class), streamError(json), CommandParser.parse(json).errors().get(0))) {
                assertFalse(e.toString().contains(SECRET), json + " -> " + e);
                assertFalse(e.toString().contains("Hunter"), json + " -> " + e);
            }
        }
        assertEquals(new FieldError("$", "not JSON: syntax error at line 1, column 34"), streamError(bad.get(0)));
        assertEquals(new FieldError("connectionProfile.createTime", "invalid value, expected an ISO-8601 time such as 2026-01-31T12:00:00Z"),
                streamError(bad.get(5)));
        assertTrue(streamError(bad.get(7)).message().startsWith("invalid value, expected one of [CREATE_CONNECTION_PROFILE"), streamError(bad.get(7)).message());
    }
}
