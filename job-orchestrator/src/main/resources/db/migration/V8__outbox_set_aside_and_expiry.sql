-- A record Kafka refuses for good (larger than the message limit, an invalid topic) is set aside
-- instead of blocking the outbox: kept here with the time and the reason, skipped by the relay.
alter table outbox
    add column failed_time timestamptz,
    add column failure     text;
create index outbox_pending on outbox (id) where failed_time is null;

-- Operations older than dms.operations.retention are deleted (and tombstoned on dms.operations).
create index operation_create_time on operation (create_time);

-- When the running promote gives up if no database has finished its drain (dms.promote.drain-timeout).
alter table migration_job
    add column promote_deadline timestamptz;
