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
    /** Keyed the same way: an envelope's fields, found once (a Struct's get by name looks its schema up each time). */
    private final Map<Schema, EnvelopeShape> envelopes = new IdentityHashMap<>();

    /**
     * @param unavailableValuePlaceholder the value of an unchanged TOAST column: {@link SourceTextConverter}
     *     gives it for every column (only money, which is never TOASTed, bypasses the converter)
     */
    public ChangeDecoder(String unavailableValuePlaceholder) {
        this.placeholder = unavailableValuePlaceholder;
    }

    /** The record's operation ("c", "u", "d", "t", "r", "m"), or null for a value that is no change event (a heartbeat). */
    public String op(Struct value) {
        EnvelopeShape e = envelope(value.schema());
        return e.op() == null ? null : (String) value.get(e.op());
    }

    public RowChange decode(Struct envelope) {
        EnvelopeShape e = envelope(envelope.schema());
        String op = (String) envelope.get(e.op());
        Struct source = (Struct) envelope.get(e.source());
        TableRef table = new TableRef((String) source.get(e.sourceSchema()), (String) source.get(e.sourceTable()));
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
        Schema rowSchema = e.after().schema();
        RowShape shape = shapes.computeIfAbsent(rowSchema, RowShape::of);
        Set<String> unchanged = new HashSet<>();
        Map<String, String> before = row((Struct) envelope.get(e.before()), shape.sourceTypes(), null);
        Map<String, String> after = row((Struct) envelope.get(e.after()), shape.sourceTypes(), unchanged);
        return new RowChange(table, kind, shape.columns(), shape.sourceTypes(), before, after,
                unchanged.isEmpty() ? Set.of() : Set.copyOf(unchanged), rowSchema);
    }

    private EnvelopeShape envelope(Schema schema) {
        EnvelopeShape e = envelopes.get(schema);
        if (e == null) {
            e = EnvelopeShape.of(schema);
            envelopes.put(schema, e);
        }
        return e;
    }

    /**
     * The fields of a change event's envelope and of its source block (null where the schema has none: a heartbeat
     * has no op, a message no before or after).
     */
    private record EnvelopeShape(Field op, Field source, Field before, Field after, Field sourceSchema, Field sourceTable) {
        static EnvelopeShape of(Schema envelope) {
            if (envelope.type() != Schema.Type.STRUCT) {
                return new EnvelopeShape(null, null, null, null, null, null);
            }
            Field source = envelope.field("source");
            Schema sourceSchema = source == null ? null : source.schema();
            return new EnvelopeShape(envelope.field("op"), source, envelope.field("before"), envelope.field("after"),
                    sourceSchema == null ? null : sourceSchema.field("schema"), sourceSchema == null ? null : sourceSchema.field("table"));
        }
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
