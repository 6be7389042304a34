-- The orchestrator's control database: the only place job state is written.
create table connection_profile (
    id                 varchar(63) primary key,
    display_name       text,
    host               text        not null,
    port               integer     not null,
    username           text        not null,
    encrypted_password text,
    ssl_mode           text        not null,
    create_time        timestamptz not null,
    version            bigint      not null default 0
);

create table migration_job (
    id                  varchar(63) primary key,
    display_name        text,
    state               text        not null,
    phase               text,
    source_profile      varchar(63) not null,
    destination_profile varchar(63) not null,
    -- JSON array of names; empty = every database of the source
    requested_databases text        not null,
    dump_parallelism    text        not null,
    run_epoch           bigint      not null,
    error_code          text,
    error_message       text,
    doc_version         bigint      not null,
    event_sequence      bigint      not null default 0,
    create_time         timestamptz not null,
    update_time         timestamptz not null,
    version             bigint      not null default 0
);
create index migration_job_state on migration_job (state);

-- One row per database the job migrates (resolved at start).
create table job_database (
    job_id        varchar(63) not null references migration_job (id) on delete cascade,
    name          text        not null,
    last_signal   text,
    signal_epoch  bigint,
    progress_json text        not null,
    version       bigint      not null default 0,
    primary key (job_id, name)
);

-- Results of commands; the name (operations/<commandId>) makes commands idempotent.
create table operation (
    name          text primary key,
    command_type  text,
    target        text,
    done          boolean     not null,
    document      text        not null,
    create_time   timestamptz not null
);

create table job_event (
    job_id   varchar(63) not null,
    sequence bigint      not null,
    document text        not null,
    time     timestamptz not null,
    primary key (job_id, sequence)
);

-- Transactional outbox: records written with the state change, sent to Kafka after commit.
create table outbox (
    id           bigserial primary key,
    topic        text not null,
    record_key   text,
    -- bytes, not text: a dead-lettered record is kept exactly as received, NUL bytes and all
    payload      bytea,
    headers_json text
);
