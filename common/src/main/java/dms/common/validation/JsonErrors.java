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
            Class<?> target = f.getTargetType();
            return new FieldError(path(f), "invalid value " + CommandValidator.abbreviate(String.valueOf(f.getValue()))
                    + (target != null && target.isEnum() ? ", expected one of " + List.of(target.getEnumConstants())
                        : target != null ? ", expected " + expected(target) : ""));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new FieldError(path(u), "unknown field");
        }
        if (e instanceof MismatchedInputException m) {
            return new FieldError(path(m), "wrong JSON type"
                    + (m.getTargetType() != null ? ": expected " + expected(m.getTargetType()) : ": " + m.getOriginalMessage().split("\n")[0]));
        }
        return new FieldError("$", "not JSON: " + e.getOriginalMessage());
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
        if (CharSequence.class.isAssignableFrom(type) || type == java.time.Instant.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** The JSON path of the failure: {@code job.databases[2]}, or {@code $} for the document. */
    public static String path(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "$" : path;
    }
}
