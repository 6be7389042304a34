-- Every dump task is sent under a lease (docs/data-path.md, Leases): a copy unit COPYING until
-- lease_until, and the database task in flight (PREPARE_DATABASE, NEW_SNAPSHOT, POST_DATA, CLEANUP)
-- with its attempt number. Workers extend a lease while they work; one that expires is sent again.
alter table copy_unit add column lease_until timestamptz;
alter table job_database add column task_kind text;
alter table job_database add column task_attempt integer not null default 0;
alter table job_database add column task_lease_until timestamptz;
alter table job_database add column task_purge boolean;
-- The orchestrator's timer looks for expired leases every few seconds.
create index copy_unit_lease_due on copy_unit (lease_until) where state = 'COPYING';
create index job_database_task_lease_due on job_database (task_lease_until) where task_lease_until is not null;
