package dms.common.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Names the field a JSON parse failure is about and says what is wrong, for people: the one
 * translation of Jackson's exceptions shared by the command topic ({@link CommandParser}) and
 * the REST API. {@code $} is the document itself.
 */
public final class JsonErrors {

    private JsonErrors() {}

    public static FieldError fieldError(JsonProcessingException e) {
        if (e instanceof InvalidFormatException f) {
            return new FieldError(path(f), "invalid value " + CommandValidator.abbreviate(String.valueOf(f.getValue()))
                    + (f.getTargetType() != null && f.getTargetType().isEnum()
                        ? ", expected one of " + List.of(f.getTargetType().getEnumConstants()) : ""));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new FieldError(path(u), "unknown field");
        }
        if (e instanceof MismatchedInputException m) {
            return new FieldError(path(m), "wrong JSON type: " + m.getOriginalMessage().split("\n")[0]);
        }
        return new FieldError("$", "not JSON: " + e.getOriginalMessage());
    }

    /** The JSON path of the failure: {@code job.databases[2]}, or {@code $} for the document. */
    public static String path(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "$" : path;
    }
}
