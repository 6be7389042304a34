package dms.cdc.stream;

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
 * Debezium custom converter (configured in {@link DebeziumConfig}) for {@code date}, {@code timestamp}
 * and {@code timestamptz} columns: the value becomes PostgreSQL's text form ({@link TemporalText}), so
 * {@code ±infinity} round-trips and the decoder thread formats each value once, cheaply.
 */
public final class TemporalTextConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties props) {}

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        Function<Object, String> text = switch (column.typeName()) {
            case "date" -> v -> v instanceof LocalDate d ? TemporalText.date(d) : other(v);
            case "timestamp", "timestamp without time zone" -> v -> v instanceof Instant i ? TemporalText.timestamp(i)
                    : v instanceof LocalDateTime t ? TemporalText.timestamp(t) : other(v);
            case "timestamptz", "timestamp with time zone" -> v -> v instanceof OffsetDateTime t ? TemporalText.timestamptz(t)
                    : other(v);
            default -> null;
        };
        if (text != null) {
            registration.register(SchemaBuilder.string(), v -> v == null ? null : text.apply(v));
        }
    }

    /**
     * Streamed values are always of the types above; a column's default value (which Debezium also passes
     * here, for the schema only, and which the apply never uses) may be anything else.
     */
    private static String other(Object v) {
        return String.valueOf(v);
    }
}
