package dms.cdc.apply;

import dms.common.sql.SqlIdentifiers;

/** A table by schema and name, as on both servers (the dump restores the schema unchanged). */
public record TableRef(String schema, String name) {

    public TableRef {
        if (schema == null || name == null) {
            throw new IllegalArgumentException("table needs a schema and a name");
        }
    }

    /** {@code "schema"."name"}, both quoted. */
    public String quoted() {
        return SqlIdentifiers.qualified(schema, name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
