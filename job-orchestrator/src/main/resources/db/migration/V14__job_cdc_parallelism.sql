-- The job's cdcParallelism (docs/cdc.md, Parallel CDC): into how many replication groups (publication, slot,
-- stream) the dump-worker splits each database's tables when it prepares it. 1: one slot per database, as before.
alter table migration_job add column cdc_parallelism integer not null default 1;
