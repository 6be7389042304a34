package dms.api.problems;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.validation.FieldError;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 400 names the field and the position, never the text that failed: it may be a password. */
class ProblemMappersTest {

    private static final String SECRET = "Hunter2-s3cret";

    private static Problem problem(Response response) {
        return (Problem) response.getEntity();
    }

    @Test
    void malformedJsonIsAnsweredWithoutQuotingIt() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> Json.MAPPER.readTree("{\"password\":" + SECRET + "}"));
        Problem p = problem(new ProblemMappers().webApplication(new WebApplicationException(e, Response.Status.BAD_REQUEST)));
        assertEquals(400, p.getStatus());
        assertEquals(List.of(new FieldError("$", "not JSON: syntax error at line 1, column 13")), p.getErrors());
        assertFalse(Json.write(p).contains("Hunter2"), Json.write(p));
    }

    @Test
    void otherClientErrorsKeepOnlyTheirStatus() {
        Problem p = problem(new ProblemMappers().webApplication(new BadRequestException("Malformed accept header: " + SECRET)));
        assertEquals(400, p.getStatus());
        assertEquals("HTTP 400 Bad Request", p.getDetail());
        assertFalse(Json.write(p).contains("Hunter2"));
    }
}
