package dms.common.validation;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dms.common.json.Json;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobSpec;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    private static FieldError error(String json, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> Json.MAPPER.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(json, type));
        return JsonErrors.fieldError(e);
    }

    @Test
    void namesTheFieldAndWhatWasExpected() {
        assertEquals(new FieldError("port", "invalid value abc, expected an integer"), error("{\"port\":\"abc\"}", ConnectionProfile.class));
        assertEquals(new FieldError("databases", "wrong JSON type: expected an array"), error("{\"databases\":\"x\"}", JobSpec.class));
        assertEquals("dumpParallelism", error("{\"dumpParallelism\":\"HUGE\"}", JobSpec.class).field());
        assertTrue(error("{\"dumpParallelism\":\"HUGE\"}", JobSpec.class).message().contains("OPTIMAL"));
        assertEquals(new FieldError("colour", "unknown field"), error("{\"colour\":1}", JobSpec.class));
        assertEquals("$", error("{oops", JobSpec.class).field());
        assertEquals(new FieldError("$", "wrong JSON type: expected an object"), error("[1]", JobSpec.class));
    }
}
