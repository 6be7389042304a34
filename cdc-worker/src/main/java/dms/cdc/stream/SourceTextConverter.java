package dms.cdc.stream;

import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Debezium custom converter (configured in {@link DebeziumConfig}): the value of every column whose type
 * it {@link #takes} is the text pgoutput sent, PostgreSQL's own output form, which the destination reads
 * back with the type's input function ({@code CAST(text AS type)}), as native logical replication does.
 * Our replacement of Debezium's {@code ReplicationMessageColumnValueResolver} leaves those values as text;
 * Debezium's converters, which parse each value and format it again, lost some ({@code timetz} offsets,
 * {@code ±infinity} dates and timestamps, {@code NaN} in {@code numeric[]}) and spent much of the
 * decoding thread's CPU.
 */
public final class SourceTextConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    /**
     * The value of a NOT NULL column a record does not carry: the old row of a delete or of a key change
     * holds only the replica identity's columns, and the record's schema requires a value in the others
     * (Debezium's converters put a default there too). The apply reads only the identity's columns of an
     * old row.
     */
    static final String ABSENT = "";

    /**
     * Whether values of this type (pg_type name) stay as the source's text: all but money, whose text
     * depends on the server's lc_monetary ({@code $1,234.56}) and which Debezium reads into a plain
     * number that any destination reads back. (Debezium has no money[]: that stays text.)
     */
    public static boolean takes(String typeName) {
        return !"money".equals(typeName);
    }

    @Override
    public void configure(Properties props) {}

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (takes(column.typeName())) {
            boolean optional = column.isOptional();
            registration.register(SchemaBuilder.string(), value -> value == null && !optional ? ABSENT : text(value));
        }
    }

    /**
     * A streamed value is the source's text, or Debezium's marker of an unchanged TOAST value. A column's
     * default value (which Debezium passes here too, for the schema only; the apply never uses it) may be
     * of any type.
     */
    static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        return UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(value) ? DebeziumConfig.UNAVAILABLE_PLACEHOLDER
                : String.valueOf(value);
    }
}
