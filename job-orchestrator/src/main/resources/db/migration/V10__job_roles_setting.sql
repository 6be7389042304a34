-- The job's roles setting (docs/data-path.md, Roles): what the dump-worker and the pre-flight do with
-- the roles the destination lacks. Null: CREATE_MISSING, the default (jobs created before the setting).
alter table migration_job add column roles text;
