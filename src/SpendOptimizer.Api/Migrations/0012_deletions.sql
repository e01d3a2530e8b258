-- Deletes undo mistaken loads. Each touchpoint now carries the load that brought it, so a load can be removed whole;
-- rows loaded before this have no load and cannot be removed per load.
alter table touchpoints add column load_id uuid;
create index touchpoints_load on touchpoints (workspace_id, load_id) where load_id is not null;

-- Every delete that removed something: who (key id and prefix, role), when, the route and its parameters, how many rows.
create table deletions (
    id            uuid primary key,
    workspace_id  text not null references workspaces (id) on delete cascade,
    deleted_at    timestamptz not null default now(),
    key_id        uuid,
    key_prefix    text not null,
    role          text not null,
    route         text not null,
    parameters    json not null, -- json, not jsonb: kept in the order the route names them
    removed       bigint not null
);
create index deletions_recent on deletions (workspace_id, deleted_at desc, id desc);
