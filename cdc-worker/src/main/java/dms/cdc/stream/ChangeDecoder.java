package dms.cdc.stream;

import dms.cdc.apply.RowChange;
import dms.cdc.apply.TableRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads one Debezium change record (its envelope: op, before, after, source) into a
 * {@link RowChange} with text values, marking the unchanged TOAST columns (Debezium's
 * unavailable-value placeholder, in whatever shape it takes for the column's type).
 */
public final class ChangeDecoder {

    /** Set on every column by column.propagate.source.type. */
    static final String SOURCE_TYPE_PARAMETER = "__debezium.source.column.type";

    private final String placeholder;
    private final byte[] placeholderBytes;
    private final String placeholderUuid;
    private final List<Integer> placeholderInts = new ArrayList<>();
    private final List<Long> placeholderLongs = new ArrayList<>();

    public ChangeDecoder(String unavailableValuePlaceholder) {
        this.placeholder = unavailableValuePlaceholder;
        this.placeholderBytes = unavailableValuePlaceholder.getBytes(StandardCharsets.UTF_8);
        this.placeholderUuid = UUID.nameUUIDFromBytes(placeholderBytes).toString();
        for (byte b : placeholderBytes) {
            placeholderInts.add((int) b);
            placeholderLongs.add((long) b);
        }
    }

    public RowChange decode(Struct envelope) {
        String op = envelope.getString("op");
        Struct source = envelope.getStruct("source");
        TableRef table = new TableRef(source.getString("schema"), source.getString("table"));
        RowChange.Op kind = switch (op) {
            case "c", "r" -> RowChange.Op.INSERT;
            case "u" -> RowChange.Op.UPDATE;
            case "d" -> RowChange.Op.DELETE;
            case "t" -> RowChange.Op.TRUNCATE;
            default -> throw new IllegalArgumentException("unexpected change operation '" + op + "' on " + table);
        };
        if (kind == RowChange.Op.TRUNCATE) {
            return new RowChange(table, kind, List.of(), Map.of(), null, null, Set.of(), null);
        }
        Schema rowSchema = envelope.schema().field("after").schema();
        List<String> columns = new ArrayList<>(rowSchema.fields().size());
        Map<String, String> sourceTypes = new HashMap<>();
        for (Field f : rowSchema.fields()) {
            columns.add(f.name());
            Map<String, String> params = f.schema().parameters();
            if (params != null && params.get(SOURCE_TYPE_PARAMETER) != null) {
                sourceTypes.put(f.name(), params.get(SOURCE_TYPE_PARAMETER));
            }
        }
        Set<String> unchanged = new HashSet<>();
        Map<String, String> before = row(envelope.getStruct("before"), sourceTypes, null);
        Map<String, String> after = row(envelope.getStruct("after"), sourceTypes, unchanged);
        return new RowChange(table, kind, List.copyOf(columns), Map.copyOf(sourceTypes), before, after, Set.copyOf(unchanged), rowSchema);
    }

    private Map<String, String> row(Struct row, Map<String, String> sourceTypes, Set<String> unchanged) {
        if (row == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : row.schema().fields()) {
            Object value = row.get(f);
            if (unchanged != null && isPlaceholder(value)) {
                unchanged.add(f.name());
                continue;
            }
            String type = sourceTypes.get(f.name());
            boolean bytea = type == null || type.toUpperCase(Locale.ROOT).replace("_", "").equals("BYTEA");
            try {
                values.put(f.name(), ValueText.of(value, f.schema(), bytea));
            } catch (ValueText.UnsupportedValueException e) {
                throw new ValueText.UnsupportedValueException("column \"" + f.name() + "\" (" + type + "): " + e.getMessage());
            }
        }
        return values;
    }

    /** Debezium's unavailable-value placeholder, as it shapes it per type (see UnchangedToastedPlaceholder). */
    boolean isPlaceholder(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof String s) {
            return s.equals(placeholder);
        }
        if (value instanceof byte[] b) {
            return Arrays.equals(b, placeholderBytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.remaining() == placeholderBytes.length && buffer.duplicate().equals(ByteBuffer.wrap(placeholderBytes));
        }
        if (value instanceof List<?> list) {
            if (list.size() == 1) {
                Object e = list.get(0);
                return placeholder.equals(e) || placeholderUuid.equals(e) || e instanceof byte[] b && Arrays.equals(b, placeholderBytes)
                        || e instanceof ByteBuffer && isPlaceholder(e);
            }
            return list.equals(placeholderInts) || list.equals(placeholderLongs);
        }
        if (value instanceof Map<?, ?> map) {
            return map.size() == 1 && placeholder.equals(map.get(placeholder));
        }
        return false;
    }
}
