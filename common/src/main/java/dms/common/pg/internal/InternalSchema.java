package dms.common.pg.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The {@code dms_internal} schema in each destination database: what the migration keeps next
 * to the data, defined here once for both workers. Its tables, each read and written by one
 * class of this package:
 * <ul>
 * <li>{@code created_by_job}: the job that created the database ({@link DatabaseOwnership});
 * <li>{@code schema_dump}: the schema dump taken at the job's snapshot, so that whichever
 * worker runs post-data finds it ({@link SchemaDumps});
 * <li>{@code dump_fence}: the snapshot the job's copies must have imported to commit ({@link DumpFence});
 * <li>{@code copied_unit}: each copied unit with its sync LSN, committed with its rows; the
 * cdc-worker reads the sync LSNs ({@link CopiedUnits});
 * <li>{@code cdc_position}: the source position the cdc-worker applied, committed with the
 * changes; verification reads it ({@link PositionStore}).
 * </ul>
 * The names and columns are those destinations of earlier versions hold: a change here needs a
 * migration of existing tables, written here too.
 */
public final class InternalSchema {

    public static final String SCHEMA = "dms_internal";
    static final String CREATED_BY_JOB = SCHEMA + ".created_by_job";
    static final String SCHEMA_DUMP = SCHEMA + ".schema_dump";
    static final String DUMP_FENCE = SCHEMA + ".dump_fence";
    static final String COPIED_UNIT = SCHEMA + ".copied_unit";
    static final String CDC_POSITION = SCHEMA + ".cdc_position";

    private static final List<String> DDL = List.of(
            "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
            "CREATE TABLE IF NOT EXISTS " + CREATED_BY_JOB + " (job_id text PRIMARY KEY, run_epoch bigint NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())",
            "CREATE TABLE IF NOT EXISTS " + SCHEMA_DUMP + " (job_id text NOT NULL, run_epoch bigint NOT NULL,"
                    + " dump bytea NOT NULL, taken_at timestamptz NOT NULL DEFAULT now(), post_data_done_at timestamptz,"
                    + " PRIMARY KEY (job_id, run_epoch))",
            // The snapshot the job's copies import now. A copy commits only if it is still the one it
            // imported: a copy of a superseded snapshot (its table is being copied again) cannot add rows.
            "CREATE TABLE IF NOT EXISTS " + DUMP_FENCE + " (job_id text PRIMARY KEY,"
                    + " snapshot_name text NOT NULL, sync_lsn pg_lsn NOT NULL, set_at timestamptz NOT NULL DEFAULT now())",
            // One row per copy unit, written in the transaction of its COPY: a unit with a row is on
            // the destination, a unit without one has none of its rows there. sync_lsn is the consistent
            // LSN of the snapshot it was copied under: CDC skips the table's older changes.
            "CREATE TABLE IF NOT EXISTS " + COPIED_UNIT + " (job_id text NOT NULL, snapshot_name text NOT NULL,"
                    + " unit_no integer NOT NULL, schema_name text NOT NULL, table_name text NOT NULL, sync_lsn pg_lsn NOT NULL,"
                    + " rows_copied bigint NOT NULL, bytes_copied bigint NOT NULL, copied_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (job_id, snapshot_name, unit_no))",
            // One row per job database, written in the destination transaction that applies the changes.
            "CREATE TABLE IF NOT EXISTS " + CDC_POSITION + " (job_id text NOT NULL, database text NOT NULL,"
                    + " commit_lsn pg_lsn NOT NULL, source_commit_time timestamptz, applied_at timestamptz NOT NULL DEFAULT now(),"
                    + " transactions bigint NOT NULL DEFAULT 0, changes bigint NOT NULL DEFAULT 0, PRIMARY KEY (job_id, database))",
            // Updates and deletes that found no row on the destination (a divergence), counted with the position.
            "ALTER TABLE " + CDC_POSITION + " ADD COLUMN IF NOT EXISTS unmatched bigint NOT NULL DEFAULT 0");

    private InternalSchema() {}

    /**
     * Creates the schema and whichever of its tables are missing (idempotent: a destination of an
     * earlier version that has some of them keeps them and their rows).
     */
    public static void create(Connection destination) throws SQLException {
        try (Statement st = destination.createStatement()) {
            for (String ddl : DDL) {
                st.execute(ddl);
            }
        }
    }

    /** The statements {@link #create} runs, in order. */
    static List<String> ddl() {
        return DDL;
    }
}
