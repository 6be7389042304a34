package dms.common.messages;

/** A table by schema and name, as the catalog spells them (unquoted). */
public record TableName(String schema, String table) {

    public static TableName of(CopyUnit unit) {
        return new TableName(unit.schema(), unit.table());
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
