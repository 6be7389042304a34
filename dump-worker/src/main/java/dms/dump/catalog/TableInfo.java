package dms.dump.catalog;

import dms.common.sql.SqlIdentifiers;
import java.util.List;

/**
 * A table of the source whose rows the dump copies.
 *
 * @param columns the columns a copy carries, in attnum order: generated columns are left out
 *     (the destination computes them) and dropped columns do not exist
 * @param primaryKey the primary key's columns in key order, empty without one
 * @param hasReplicaIdentity whether the source can publish this table's UPDATE and DELETE:
 *     REPLICA IDENTITY DEFAULT with a primary key, FULL, or USING INDEX (NOTHING never, PK or not)
 * @param estimatedRows the planner's estimate (reltuples), 0 when never analyzed
 * @param sizeBytes the heap and TOAST size ({@code pg_table_size}), what a copy reads
 * @param indexBuildBytes what building its indexes reads and writes: {@code sizeBytes} once per
 *     index (each build scans the table) plus the indexes' own size; 0 without an index
 */
public record TableInfo(
        String schema,
        String name,
        List<String> columns,
        List<String> primaryKey,
        ReplicaIdentity replicaIdentity,
        boolean hasReplicaIdentity,
        long estimatedRows,
        long sizeBytes,
        long indexBuildBytes,
        boolean unlogged) {

    public TableInfo {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** {@code "schema"."name"}, quoted for SQL. */
    public String qualifiedName() {
        return SqlIdentifiers.qualified(schema, name);
    }

    /**
     * Whether the table can be in the job's publication: it needs a replica identity (else the
     * source would reject its UPDATE and DELETE), and unlogged tables write no WAL to decode.
     */
    public boolean publishable() {
        return hasReplicaIdentity && !unlogged;
    }

    /** The same table once it was set to REPLICA IDENTITY FULL. */
    public TableInfo withReplicaIdentityFull() {
        return new TableInfo(schema, name, columns, primaryKey, ReplicaIdentity.FULL, true, estimatedRows, sizeBytes, indexBuildBytes,
                unlogged);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
