package dms.cdc.apply;

/**
 * The source's definition of a table no longer matches the destination's: DDL ran on the source
 * during CDC (it is not replicated). Applying would write garbage, so the stream stops.
 */
public final class SchemaDriftException extends RuntimeException {

    private final TableRef table;

    public SchemaDriftException(TableRef table, String detail) {
        super("table " + table + " changed on the source during CDC (DDL is not replicated): " + detail
                + "; apply the same DDL on the destination and resume, or restart this database (:restart with {\"databases\": [...]})");
        this.table = table;
    }

    public TableRef table() {
        return table;
    }
}
