package dms.dump.schema;

/** pg_dump or pg_restore failed, is missing, or is too old for the source. */
public class SchemaDumpException extends RuntimeException {

    public SchemaDumpException(String message) {
        super(message);
    }

    public SchemaDumpException(String message, Throwable cause) {
        super(message, cause);
    }
}
