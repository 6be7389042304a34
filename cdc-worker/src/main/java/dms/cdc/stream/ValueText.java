package dms.cdc.stream;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a value as Debezium gives it back into PostgreSQL's text input form, so the destination
 * parses it with the column type's own input function ({@code CAST(text AS type)}).
 *
 * <p>The connector is configured so that most values arrive as the source's own text: numeric as
 * a string (decimal.handling.mode=string), temporal types as ISO strings (time.precision.mode=
 * isostring; timestamptz/timetz are always ISO strings), interval as ISO 8601
 * (interval.handling.mode=string), json/uuid/enums/inet/ranges/xml as strings, unknown types as
 * the bytes of their text (include.unknown.datatypes). The rest is rebuilt here: integers, floats
 * (Java's shortest round-trip form), booleans, bytea (hex form), arrays (array literal), hstore
 * (map), point (struct), and the numeric temporal forms should another precision mode be used.
 */
public final class ValueText {

    private ValueText() {}

    /**
     * @param bytea whether byte values are bytea (hex form); otherwise they are the UTF-8 text of an
     *     unknown type
     */
    public static String of(Object value, Schema schema, boolean bytea) {
        if (value == null) {
            return null;
        }
        String name = schema == null ? null : schema.name();
        if (name != null) {
            String temporal = temporal(name, value);
            if (temporal != null) {
                return temporal;
            }
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d) {
            return floatText(d);
        }
        if (value instanceof Float f) {
            return f.isNaN() ? "NaN" : f.isInfinite() ? (f > 0 ? "Infinity" : "-Infinity") : Float.toString(f);
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value instanceof byte[] bytes) {
            return bytes(bytes, bytea);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes(bytes, bytea);
        }
        if (value instanceof List<?> list) {
            return arrayLiteral(list, schema == null ? null : schema.valueSchema(), bytea);
        }
        if (value instanceof Map<?, ?> map) {
            return hstore(map);
        }
        if (value instanceof Struct struct) {
            return struct(struct);
        }
        throw new UnsupportedValueException("no text form for a " + value.getClass().getName()
                + (name == null ? "" : " (" + name + ")"));
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(d);
    }

    private static String bytes(byte[] bytes, boolean bytea) {
        return bytea ? "\\x" + HexFormat.of().formatHex(bytes) : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Numeric temporal forms (other precision modes); null when the schema is not one of them. */
    private static String temporal(String name, Object value) {
        switch (name) {
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
                return value instanceof java.util.Date d ? LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L)).toString()
                        : LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            }
            case "io.debezium.time.Timestamp" -> {
                return LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) value).longValue()), ZoneOffset.UTC).toString();
            }
            case "io.debezium.time.MicroTimestamp" -> {
                long micros = ((Number) value).longValue();
                return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000,
                        ZoneOffset.UTC).toString();
            }
            case "io.debezium.time.NanoTimestamp" -> {
                long nanos = ((Number) value).longValue();
                return LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L),
                        ZoneOffset.UTC).toString();
            }
            case "io.debezium.time.Time" -> {
                return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
            }
            case "io.debezium.time.MicroTime" -> {
                long micros = ((Number) value).longValue();
                // 24:00:00 is a valid PostgreSQL time
                return micros == 86_400_000_000L ? "24:00:00" : LocalTime.ofNanoOfDay(micros * 1000L).toString();
            }
            case "io.debezium.time.NanoTime" -> {
                return LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
            }
            case "org.apache.kafka.connect.data.Timestamp" -> {
                return LocalDateTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
            }
            case "org.apache.kafka.connect.data.Time" -> {
                return LocalTime.ofNanoOfDay(((java.util.Date) value).getTime() * 1_000_000L).toString();
            }
            default -> {
                return null;
            }
        }
    }

    /** {@code {"a","b",NULL}}: every element quoted, so any element type's text form fits. */
    private static String arrayLiteral(Collection<?> elements, Schema elementSchema, boolean bytea) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Object element : elements) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            String text = of(element, elementSchema, bytea);
            if (text == null) {
                sb.append("NULL");
            } else {
                quote(sb, text);
            }
        }
        return sb.append('}').toString();
    }

    private static String hstore(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            quote(sb, String.valueOf(e.getKey()));
            sb.append("=>");
            if (e.getValue() == null) {
                sb.append("NULL");
            } else {
                quote(sb, String.valueOf(e.getValue()));
            }
        }
        return sb.toString();
    }

    private static String struct(Struct struct) {
        String name = struct.schema().name();
        if ("io.debezium.data.geometry.Point".equals(name)) {
            return "(" + floatText(struct.getFloat64("x")) + "," + floatText(struct.getFloat64("y")) + ")";
        }
        if ("io.debezium.data.VariableScaleDecimal".equals(name)) {
            return new BigDecimal(new java.math.BigInteger(struct.getBytes("value")), struct.getInt32("scale")).toPlainString();
        }
        throw new UnsupportedValueException("no text form for a " + name + " value");
    }

    private static void quote(StringBuilder sb, String text) {
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /** A value of a kind this stream cannot write back exactly. */
    public static final class UnsupportedValueException extends RuntimeException {
        public UnsupportedValueException(String message) {
            super(message);
        }
    }
}
