package dms.common.validation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Names the field a JSON parse failure is about and says what is wrong, for people: the one
 * translation of Jackson's exceptions shared by the command topic ({@link CommandParser}) and
 * the REST API. {@code $} is the document itself. Jackson's own messages quote the text that
 * failed, which may be a password, so none is passed on: only a path, a position (line and
 * column) and the expected type.
 */
public final class JsonErrors {

    private JsonErrors() {}

    public static FieldError fieldError(JsonProcessingException e) {
        if (e instanceof InvalidFormatException f) {
            return new FieldError(path(f), "invalid value" + expectedOf(f.getTargetType(), ", expected "));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new FieldError(path(u), "unknown field");
        }
        if (e instanceof MismatchedInputException m) {
            return new FieldError(path(m), "wrong JSON type" + expectedOf(m.getTargetType(), ": expected "));
        }
        // Reading a stream, a syntax error inside an object arrives wrapped with its path.
        Throwable cause = e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException c ? c : e;
        String field = e instanceof JsonMappingException m ? path(m) : "$";
        if (cause instanceof InputCoercionException c) {
            return new FieldError(field, "number out of range" + expectedOf(c.getTargetType(), ", expected "));
        }
        if (cause instanceof StreamConstraintsException c) {
            return new FieldError(field, "over a limit: " + c.getOriginalMessage()); // sizes and limits only, no input text
        }
        if (cause instanceof StreamReadException r) {
            return new FieldError("$", (r instanceof JsonEOFException ? "not JSON: the text ends too early" : "not JSON: syntax error")
                    + at(r.getLocation()));
        }
        return new FieldError(field, "invalid value");
    }

    private static String expectedOf(Class<?> type, String prefix) {
        return type == null ? "" : prefix + expected(type);
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** What a client should have sent for a Java type, in JSON words. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == int.class || type == long.class
                || type == short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 time such as 2026-01-31T12:00:00Z";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** The JSON path of the failure: {@code job.databases[2]}, or {@code $} for the document. */
    public static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "$" : path;
    }
}
