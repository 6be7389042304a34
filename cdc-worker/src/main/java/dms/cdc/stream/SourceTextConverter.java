package dms.cdc.stream;

import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Debezium custom converter (configured in {@link DebeziumConfig}) that gives some columns' values as
 * PostgreSQL's own text form, where Debezium's converters lose values:
 * <ul>
 *   <li>{@code date}, {@code timestamp}, {@code timestamptz}: written by {@link TemporalText}, so
 *       {@code ±infinity} round-trips (Debezium turned it into out-of-range values), and the decoding
 *       thread formats each value once, cheaply.</li>
 *   <li>Every array: the decoder keeps the source's array literal in a {@code PgArray}; it is passed on
 *       as is. Debezium parsed it element by element and lost {@code NaN} in {@code numeric[]},
 *       {@code ±infinity} in temporal arrays and the offsets in {@code timetz[]}.</li>
 * </ul>
 */
public final class SourceTextConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties props) {}

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        Function<Object, String> text = textOf(column.typeName());
        if (text != null) {
            registration.register(SchemaBuilder.string(), v -> v == null ? null
                    : UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(v) ? DebeziumConfig.UNAVAILABLE_PLACEHOLDER
                    : text.apply(v));
        }
    }

    /** The text form of a value of a column of this type, or null when Debezium's own conversion is kept. */
    static Function<Object, String> textOf(String typeName) {
        if (typeName.startsWith("_")) {
            return v -> v instanceof java.sql.Array array ? array.toString() : other(v);
        }
        return switch (typeName) {
            case "date" -> v -> v instanceof LocalDate d ? TemporalText.date(d) : other(v);
            case "timestamp" -> v -> v instanceof Instant i ? TemporalText.timestamp(i)
                    : v instanceof LocalDateTime t ? TemporalText.timestamp(t) : other(v);
            case "timestamptz" -> v -> v instanceof OffsetDateTime t ? TemporalText.timestamptz(t) : other(v);
            default -> null;
        };
    }

    /**
     * Streamed values are always of the types above; a column's default value (which Debezium also passes
     * here, for the schema only, and which the apply never uses) may be anything else.
     */
    private static String other(Object v) {
        return String.valueOf(v);
    }
}
