-- Small whole tables go to a dump-worker several in one copy task (docs/full-dump.md, Bundles of small tables): each
-- unit of a bundle in flight names the unit that leads it, so the bundle counts as one copy in flight and the
-- leader's heartbeats extend every unit's lease. Null for a unit sent alone, and once a unit leaves COPYING.
alter table copy_unit add column bundle_of integer;
