package dms.common.sql;

/** Quotes SQL identifiers; no SQL text is ever built from a user string any other way. */
public final class SqlIdentifiers {

    private SqlIdentifiers() {}

    /** {@code my "table"} becomes {@code "my ""table"""}. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new IllegalArgumentException("empty SQL identifier");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SQL identifier contains a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.table}, both parts quoted. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
