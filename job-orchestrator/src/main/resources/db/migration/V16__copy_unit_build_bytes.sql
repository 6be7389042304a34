-- Copy units are handed out by the index work their table brings (docs/full-dump.md, Order of the copies): a table's
-- indexes are built beside the next copies, so the table with the heaviest builds goes first. 0 for units planned
-- before (they keep the order by size).
alter table copy_unit add column estimated_build_bytes bigint not null default 0;
