package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import java.util.List;

/**
 * A table's definition as the source's catalog gives it, enough to create it on the destination
 * ({@link TableDdl}). Expressions and definitions are the source's own text ({@code pg_get_expr},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_triggerdef}), read with
 * {@code search_path = pg_catalog} so that every name in them is schema-qualified.
 *
 * @param partitionOf the parent when this is a partition (created {@code PARTITION OF} it: the parent's
 *     columns, keys and indexes come with it), else null
 * @param partitionBound {@code FOR VALUES ...} or {@code DEFAULT}, for a partition
 * @param partitionKey {@code RANGE (...)}, ... for a partitioned table, else null
 * @param constraints the table's own constraints (not those a partition inherits), keys first
 * @param indexes {@code CREATE INDEX} of the indexes no constraint makes and no parent's index gives it
 * @param replicaIdentity {@code pg_class.relreplident}
 * @param replicaIdentityIndex the index of REPLICA IDENTITY USING INDEX, else null
 * @param sequences the sequences its serial columns own
 */
public record SourceTable(TableRef ref, List<Column> columns, TableRef partitionOf, String partitionBound, String partitionKey,
                          List<Constraint> constraints, List<String> indexes, List<String> triggers, char replicaIdentity,
                          String replicaIdentityIndex, List<OwnedSequence> sequences) {

    public SourceTable {
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
        triggers = List.copyOf(triggers);
        sequences = List.copyOf(sequences);
    }

    /**
     * @param type {@code format_type} of the column
     * @param collation the column's collation, quoted and qualified, when not its type's default; else null
     * @param defaultExpr the default, or the expression of a generated column; null without one
     * @param identity {@code pg_attribute.attidentity}: 'a' (ALWAYS), 'd' (BY DEFAULT), or 0
     * @param generated a stored generated column (the destination computes it: not copied)
     */
    public record Column(String name, String type, String collation, boolean notNull, String defaultExpr, char identity,
                         boolean generated) {}

    /** @param type {@code pg_constraint.contype} */
    public record Constraint(String name, char type, String definition) {}

    /** A serial column's sequence, with the options it was made with. */
    public record OwnedSequence(TableRef ref, String column, String dataType, long start, long increment, long min, long max,
                                long cache, boolean cycle) {}

    public boolean isPartition() {
        return partitionOf != null;
    }

    /** The columns a copy carries: the stored ones the destination does not compute. */
    public List<String> copiedColumns() {
        return columns.stream().filter(c -> !c.generated()).map(Column::name).toList();
    }
}
