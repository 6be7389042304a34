-- The job's replicaIdentityFull setting (docs/data-path.md, Tables without a key): the user's consent that the
-- dump-worker sets REPLICA IDENTITY FULL on the source tables with no primary key and no replica identity.
alter table migration_job add column replica_identity_full boolean not null default false;
