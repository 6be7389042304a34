package dms.cdc.stream;

import dms.cdc.apply.RowChange;
import dms.cdc.apply.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads one Debezium change record (its envelope: op, before, after, source) into a
 * {@link RowChange} with text values, marking the unchanged TOAST columns (Debezium's
 * unavailable-value placeholder).
 */
public final class ChangeDecoder {

    /** Set on every column by column.propagate.source.type. */
    static final String SOURCE_TYPE_PARAMETER = "__debezium.source.column.type";

    private final String placeholder;
    /**
     * Keyed by Debezium's value schema of a table definition, by identity: Debezium builds a new schema object
     * when a definition changes (a {@link Schema}'s equals compares every field, too slow per change).
     */
    private final Map<Schema, RowShape> shapes = new IdentityHashMap<>();

    /**
     * @param unavailableValuePlaceholder the value of an unchanged TOAST column: {@link SourceTextConverter}
     *     gives it for every column (only money, which is never TOASTed, bypasses the converter)
     */
    public ChangeDecoder(String unavailableValuePlaceholder) {
        this.placeholder = unavailableValuePlaceholder;
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
        RowShape shape = shapes.computeIfAbsent(rowSchema, RowShape::of);
        Set<String> unchanged = new HashSet<>();
        Map<String, String> before = row(envelope.getStruct("before"), shape.sourceTypes(), null);
        Map<String, String> after = row(envelope.getStruct("after"), shape.sourceTypes(), unchanged);
        return new RowChange(table, kind, shape.columns(), shape.sourceTypes(), before, after,
                unchanged.isEmpty() ? Set.of() : Set.copyOf(unchanged), rowSchema);
    }

    /** A table definition's column names and source types, read once per definition (not per change). */
    private record RowShape(List<String> columns, Map<String, String> sourceTypes) {
        static RowShape of(Schema rowSchema) {
            List<String> columns = new ArrayList<>(rowSchema.fields().size());
            Map<String, String> sourceTypes = new HashMap<>();
            for (Field f : rowSchema.fields()) {
                columns.add(f.name());
                Map<String, String> params = f.schema().parameters();
                if (params != null && params.get(SOURCE_TYPE_PARAMETER) != null) {
                    sourceTypes.put(f.name(), params.get(SOURCE_TYPE_PARAMETER));
                }
            }
            return new RowShape(List.copyOf(columns), Map.copyOf(sourceTypes));
        }
    }

    private Map<String, String> row(Struct row, Map<String, String> sourceTypes, Set<String> unchanged) {
        if (row == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : row.schema().fields()) {
            Object value = row.get(f);
            if (unchanged != null && placeholder.equals(value)) {
                unchanged.add(f.name());
                continue;
            }
            try {
                values.put(f.name(), ValueText.of(value));
            } catch (ValueText.UnsupportedValueException e) {
                throw new ValueText.UnsupportedValueException("column \"" + f.name() + "\" (" + sourceTypes.get(f.name()) + "): "
                        + e.getMessage());
            }
        }
        return values;
    }
}
