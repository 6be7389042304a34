-- The resumable path of the full dump: a database's copies may run under a snapshot newer than
-- its slot's (after a resume, or when the worker holding the snapshot died). The consistent LSN
-- of the snapshot a unit was copied under is its table's sync LSN (CDC skips older changes).
alter table job_database add column sync_lsn text;
-- Snapshots lost in this run (their holder died): a job fails rather than loop for ever.
alter table job_database add column snapshots_lost integer not null default 0;
alter table copy_unit add column snapshot_name text;
alter table copy_unit add column sync_lsn text;
