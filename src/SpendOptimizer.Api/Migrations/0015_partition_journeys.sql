-- Touchpoints (touches and each journey's conversions) are hash-partitioned by journey_id, the column Citus
-- distributes them by, so PostgreSQL builds paths one partition at a time (partitionwise aggregate) the way Citus
-- builds them one shard at a time. journey_id alone is the key: every per-journey step groups and joins by it, and a
-- key that also held workspace_id would prune nothing (queries name a workspace, never a journey) while forcing
-- every group key and join to carry both columns. 16 partitions: each per-journey sort is a sixteenth of a
-- workspace, planning stays cheap, and a power of two splits evenly later (remainder r of 16 -> r and r + 16 of 32).
-- Skipped when touchpoints is already partitioned, so a database partitioned by hand keeps its layout.
do $$
begin
    if exists (select 1 from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
               where c.relname = 'touchpoints' and c.relnamespace = current_schema()::regnamespace) then
        return;
    end if;

    -- Writers wait until the swap commits; readers of the old table finish first.
    lock table touchpoints in access exclusive mode;

    create table touchpoints_by_journey (
        workspace_id  text not null,
        journey_id    text not null,
        ts            timestamptz not null,
        event         text not null check (event in ('touch', 'conversion')),
        channel       text not null,
        campaign      text,
        value         double precision not null,
        load_id       uuid
    ) partition by hash (journey_id);
    for i in 0..15 loop
        execute format('create table touchpoints_p%s partition of touchpoints_by_journey for values with (modulus 16, remainder %s)',
                       lpad(i::text, 2, '0'), i);
    end loop;

    -- Indexes are built after the copy: one sorted build per partition instead of row-by-row inserts.
    insert into touchpoints_by_journey (workspace_id, journey_id, ts, event, channel, campaign, value, load_id)
    select workspace_id, journey_id, ts, event, channel, campaign, value, load_id from touchpoints;

    drop table touchpoints;
    alter table touchpoints_by_journey rename to touchpoints;
    alter table touchpoints rename constraint touchpoints_by_journey_event_check to touchpoints_event_check;
    -- The key already holds journey_id, as a unique constraint on a partitioned table must.
    alter table touchpoints add constraint touchpoints_pkey primary key (workspace_id, journey_id, ts, event, channel);
    create index touchpoints_load on touchpoints (workspace_id, load_id) where load_id is not null;
end $$;

-- Autovacuum analyses the partitions but never the parent, whose statistics plan the queries over it.
analyze touchpoints;
