package dms.common.validation;

/** One bad field of a request or command: its JSON path and what is wrong. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
