-- Where each input partition has been applied up to, written in the same transaction as what a record did:
-- a record delivered again (the consumer's offset commit is periodic, so after a broker outage or a restart
-- the last seconds come again) is skipped instead of applied twice. newest_timestamp (the newest record
-- timestamp applied, ms) tells a record delivered again from one of a topic made anew, whose offsets start
-- over: those are newer.
create table consumed_offset (
    topic text not null,
    partition_no int not null,
    next_offset bigint not null,
    newest_timestamp bigint not null,
    primary key (topic, partition_no)
);
