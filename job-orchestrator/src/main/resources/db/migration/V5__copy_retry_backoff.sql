-- A copy unit that failed with a retryable error waits before its next attempt (exponential
-- backoff, dms.dump.retry.*): it stays QUEUED and is not dispatched before not_before.
alter table copy_unit add column not_before timestamptz;
-- The orchestrator's timer looks for queued units that became due, every second.
create index copy_unit_retry_due on copy_unit (not_before) where state = 'QUEUED' and not_before is not null;
