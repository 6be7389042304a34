package dms.api.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dms.common.validation.FieldError;
import dms.common.validation.JsonErrors;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure leaves as {@code application/problem+json}. Bad input (malformed JSON, a wrong
 * JSON type, an unknown enum value or field, a constraint violation) is a 400 naming the
 * field; nothing a client sends can cause a 500. No answer quotes the text that failed (it may be
 * a password): {@link JsonErrors} says where and what was expected. Unexpected errors are logged
 * with their stack and answered without internals.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    /** Wrong JSON type, unknown enum value or field: Quarkus REST throws these as they are. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e) {
        return badJson(e);
    }

    /** Quarkus REST wraps a JSON syntax error in a 400 WebApplicationException; routing misses are 404/405. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            Log.error("request failed", e);
            return Problem.of(ProblemKind.INTERNAL, "internal error").toResponse();
        }
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
        String slug = title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        // Not e.getMessage(): the framework's may quote the request (a malformed Accept header, for one).
        return new Problem(ProblemKind.TYPE_BASE + slug, title, status, "HTTP " + status + " " + title, null).toResponse();
    }

    @ServerExceptionMapper(priority = 1)
    public Response constraintViolation(ConstraintViolationException e) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new FieldError(field(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return Problems.invalid(errors).problem().toResponse();
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        Log.error("validation setup error", e);
        return Problem.of(ProblemKind.INTERNAL, "internal error").toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.error("unexpected error", e);
        return Problem.of(ProblemKind.INTERNAL, "internal error").toResponse();
    }

    private static Response badJson(JsonProcessingException e) {
        return Problems.invalid(List.of(JsonErrors.fieldError(e))).problem().toResponse();
    }

    /** {@code create.body.port} names the method and parameter first: keep what is inside the body. */
    static String field(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, PARAMETER, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> { }
                default -> names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
            }
        }
        return names.isEmpty() ? "$" : String.join(".", names);
    }
}
