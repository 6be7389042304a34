package dms.common.validation;

/** One bad field of a request or command: its JSON path and what is wrong. */
public record FieldError(String field, String message) {
    /** Messages may quote the input: keep out NUL and other control characters (logs, headers, PostgreSQL text). */
    public FieldError {
        field = printable(field);
        message = printable(message);
    }

    static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) && c != '\n' ? '\uFFFD' : c));
        return out.toString();
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
