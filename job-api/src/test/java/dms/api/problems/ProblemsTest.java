package dms.api.problems;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ErrorInfo;
import dms.common.messages.Operation;
import dms.common.validation.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    private static Problem of(String code) {
        return Problems.fromOperation(new Operation("operations/c-1", true, ErrorInfo.of(code, "no"), null, null));
    }

    @Test
    void errorCodesMapToHttpStatuses() {
        assertEquals(400, of(ErrorInfo.INVALID_ARGUMENT).getStatus());
        assertEquals(404, of(ErrorInfo.NOT_FOUND).getStatus());
        assertEquals(409, of(ErrorInfo.FAILED_PRECONDITION).getStatus());
        assertEquals(409, of(ErrorInfo.ALREADY_EXISTS).getStatus());
        assertEquals(500, of(ErrorInfo.INTERNAL).getStatus());
        assertEquals(500, of("SOMETHING_NEW").getStatus());
        assertEquals(500, of(null).getStatus());
    }

    @Test
    void theProblemNamesTheOperationAndCarriesTheErrorDetails() {
        ErrorInfo error = new ErrorInfo(ErrorInfo.FAILED_PRECONDITION, "cannot stop",
                Map.of("state", "STOPPED", "allowedActions", List.of("RESUME"), "status", "ignored"));
        Problem p = Problems.fromOperation(new Operation("operations/c-2", true, error, null, null));
        assertEquals("https://dms.dev/problems/failed-precondition", p.getType());
        assertEquals("cannot stop", p.getDetail());
        assertEquals("operations/c-2", p.getExtensions().get("operation"));
        assertEquals("FAILED_PRECONDITION", p.getExtensions().get("code"));
        assertEquals("STOPPED", p.getExtensions().get("state"));
        assertEquals(List.of("RESUME"), p.getExtensions().get("allowedActions"));
        assertEquals(409, p.getStatus());
        assertFalse(p.getExtensions().containsKey("status"), "details cannot overwrite the problem's own members");
    }

    @Test
    void invalidNamesEveryField() {
        Problem p = Problems.invalid(List.of(new FieldError("host", "required"), new FieldError("port", "1-65535"))).problem();
        assertEquals(400, p.getStatus());
        assertEquals(2, p.getErrors().size());
        assertEquals("host: required; port: 1-65535", p.getDetail());
    }

    @Test
    void commandFieldsAreRenamedToBodyFields() {
        assertEquals("source", BodyFields.inBody("job.source", "job"));
        assertEquals("$", BodyFields.inBody("patch", "patch"));
        assertEquals("databases[1]", BodyFields.inBody("databases[1]", "patch"));
        assertEquals("jobIds[0]", BodyFields.inBody("jobIds[0]", null));
        ProblemException e = assertThrows(ProblemException.class,
                () -> BodyFields.requireNone(List.of(new FieldError("connectionProfile.port", "bad")), "connectionProfile"));
        assertEquals("port", e.problem().getErrors().get(0).field());
    }
}
