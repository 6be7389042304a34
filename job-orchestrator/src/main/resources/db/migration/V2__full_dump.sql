-- Full dump: the copy units of each database (a table or a range of one), planned by the
-- worker that prepared the database, handed out by the orchestrator N at a time per job.
create table copy_unit (
    job_id          varchar(63) not null references migration_job (id) on delete cascade,
    database        text        not null,
    unit_no         integer     not null,
    schema_name     text        not null,
    table_name      text        not null,
    -- the CopyUnit as planned (columns, range), handed to the worker as is
    unit_json       text        not null,
    estimated_bytes bigint      not null,
    estimated_rows  bigint      not null,
    -- QUEUED, COPYING, COPIED, FAILED
    state           text        not null,
    run_epoch       bigint      not null,
    attempts        integer     not null default 0,
    rows_copied     bigint,
    bytes_copied    bigint,
    millis          bigint,
    error           text,
    update_time     timestamptz not null,
    primary key (job_id, database, unit_no)
);
create index copy_unit_state on copy_unit (job_id, state);

-- The exported snapshot every copy of the database imports (held by the preparing worker).
alter table job_database add column snapshot_name text;
-- Tables left out of the publication: no primary key and no replica identity.
alter table job_database add column tables_without_identity text;
