-- The latest data check of a job (verify from CDC on): a DataVerification document, filled in
-- table by table as the dump-workers report.
alter table migration_job add column verification text;
