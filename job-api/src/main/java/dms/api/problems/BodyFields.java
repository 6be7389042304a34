package dms.api.problems;

import dms.common.validation.FieldError;
import java.util.List;

/**
 * The command validator names fields as they sit in the command ({@code job.source},
 * {@code connectionProfile.port}); a REST client sent them at the top of its body.
 */
public final class BodyFields {

    private BodyFields() {}

    /** Throws a 400 naming every field, as the client wrote it, when there is any error. */
    public static void requireNone(List<FieldError> errors, String commandField) {
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors.stream().map(e -> new FieldError(inBody(e.field(), commandField), e.message())).toList());
        }
    }

    static String inBody(String field, String commandField) {
        if (commandField == null) {
            return field;
        }
        if (field.equals(commandField)) {
            return "$";
        }
        return field.startsWith(commandField + ".") ? field.substring(commandField.length() + 1) : field;
    }
}
