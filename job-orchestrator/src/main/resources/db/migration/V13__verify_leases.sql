-- A data check's VERIFY_DATA task is leased like the dump's tasks (docs/verify.md, Leases): per
-- database, the attempt sent and until when its worker must be heard from. One that expires is
-- sent again, or the database is recorded as not checked, so a check always finishes.
alter table job_database add column verify_attempt integer not null default 0;
alter table job_database add column verify_lease_until timestamptz;
create index job_database_verify_lease_due on job_database (verify_lease_until) where verify_lease_until is not null;
