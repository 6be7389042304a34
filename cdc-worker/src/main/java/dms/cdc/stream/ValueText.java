package dms.cdc.stream;

/**
 * A value of a change record as PostgreSQL text input ({@code CAST(text AS type)} on the destination).
 * Nearly every value already is the source's own text ({@link SourceTextConverter}); money, which
 * Debezium still converts, arrives as a decimal string (decimal.handling.mode=string).
 */
public final class ValueText {

    private ValueText() {}

    public static String of(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new UnsupportedValueException("no text form for a " + value.getClass().getName());
    }

    /** A value of a kind this stream cannot write back exactly. */
    public static final class UnsupportedValueException extends RuntimeException {
        public UnsupportedValueException(String message) {
            super(message);
        }
    }
}
