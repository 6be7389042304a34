package dms.api.problems;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dms.common.validation.FieldError;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 7807 problem document: {@code type}, {@code title}, {@code status}, {@code detail},
 * {@code errors} (one per bad field, for 400) and extension members (for a 409 on a job
 * action: {@code state}, {@code phase}, {@code allowedActions}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "errors"})
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this.type = type;
        this.title = title;
        this.status = status;
        this.detail = detail;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public static Problem of(ProblemKind kind, String detail) {
        return new Problem(kind.type(), kind.title(), kind.status(), detail, null);
    }

    /** Adds an extension member; a null value is written as JSON null (a job may have no phase). */
    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public String getType() { return type; }
    public String getTitle() { return title; }
    public int getStatus() { return status; }
    public String getDetail() { return detail; }
    public List<FieldError> getErrors() { return errors; }

    @JsonAnyGetter
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Map<String, Object> getExtensions() { return extensions; }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }
}
